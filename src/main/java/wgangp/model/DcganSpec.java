package wgangp.model;

import java.io.Serializable;
import java.util.List;
import wgangp.model.layers.BatchNorm2d;
import wgangp.model.layers.Conv2d;
import wgangp.model.layers.ConvTranspose2d;
import wgangp.model.layers.Dense;
import wgangp.model.layers.LayerNetwork;
import wgangp.model.layers.LeakyRelu;
import wgangp.model.layers.Reshape;
import wgangp.model.layers.Tanh;

/**
 * The convolutional model for 28×28 images with base channel count D, exactly as the PyTorch
 * reference's {@code --arch dcgan} (module names are its tensor names):
 * <pre>
 * generator  fc: Linear(Z → 2D·7·7), view [2D, 7, 7], bn0: BatchNorm2d, LeakyReLU,
 *            up1: ConvTranspose2d(2D → D, 4, stride 2, pad 1) → [D, 14, 14], bn1: BatchNorm2d, LeakyReLU,
 *            up2: ConvTranspose2d(D → 1, 4, stride 2, pad 1) → [1, 28, 28], tanh
 * critic     conv1: Conv2d(1 → D, 4, stride 2, pad 1) → [D, 14, 14], LeakyReLU,
 *            conv2: Conv2d(D → 2D, 4, stride 2, pad 1) → [2D, 7, 7], LeakyReLU,
 *            fc: Linear(2D·7·7 → 1) over the [channel, row, column] flattening
 * </pre>
 * Images enter and leave both networks as rows of 784 values in row-major order.
 */
public record DcganSpec(int latentSize, int dim, double leakySlope, double batchNormMomentum, double batchNormEps)
        implements Serializable {

    /** Side of the square images this model takes and makes. */
    public static final int IMAGE_SIDE = 28;
    public static final int IMAGE_SIZE = IMAGE_SIDE * IMAGE_SIDE;
    private static final int KERNEL = 4;
    private static final int STRIDE = 2;
    private static final int PADDING = 1;
    private static final int SEED_SIDE = IMAGE_SIDE / 4;

    public DcganSpec {
        if (dim < 1) {
            throw new IllegalArgumentException("dcgan.dim=" + dim + ": must be >= 1");
        }
        if (latentSize < 1) {
            throw new IllegalArgumentException("latent=" + latentSize + ": must be >= 1");
        }
    }

    /** Refuses images of any shape but 28×28, naming {@code source} and its shape in one line. */
    public static void requireImageShape(int rows, int cols, String source) {
        if (rows != IMAGE_SIDE || cols != IMAGE_SIDE) {
            throw new IllegalArgumentException("model=dcgan takes 28x28 images, " + source + " holds " + rows + "x"
                    + cols + " images; use model=mlp for other sizes");
        }
    }

    /** Refuses images of any size but 28×28 = 784 pixels, with the reason in one line. */
    public static void requireImageSize(int imageSize) {
        if (imageSize != IMAGE_SIZE) {
            throw new IllegalArgumentException("model=dcgan takes 28x28 images (784 pixels), the data has "
                    + imageSize + " pixels per image; use model=mlp for other sizes");
        }
    }

    /** The generator, the one definition of it. */
    public LayerNetwork generator() {
        long[] seed = {2L * dim, SEED_SIDE, SEED_SIDE};
        long[] mid = {dim, 2L * SEED_SIDE, 2L * SEED_SIDE};
        long[] image = {1, IMAGE_SIDE, IMAGE_SIDE};
        return new LayerNetwork(new long[] {latentSize}, List.of(
                new Dense("fc", latentSize, 2L * dim * SEED_SIDE * SEED_SIDE),
                new Reshape(new long[] {2L * dim * SEED_SIDE * SEED_SIDE}, seed),
                new BatchNorm2d("bn0", seed, batchNormMomentum, batchNormEps),
                new LeakyRelu(seed, leakySlope),
                new ConvTranspose2d("up1", seed, dim, KERNEL, STRIDE, PADDING),
                new BatchNorm2d("bn1", mid, batchNormMomentum, batchNormEps),
                new LeakyRelu(mid, leakySlope),
                new ConvTranspose2d("up2", mid, 1, KERNEL, STRIDE, PADDING),
                new Tanh(image),
                new Reshape(image, IMAGE_SIZE)));
    }

    /** The critic, the one definition of it. */
    public LayerNetwork critic() {
        long[] image = {1, IMAGE_SIDE, IMAGE_SIDE};
        long[] mid = {dim, 2L * SEED_SIDE, 2L * SEED_SIDE};
        long[] deep = {2L * dim, SEED_SIDE, SEED_SIDE};
        return LayerNetwork.critic(new long[] {IMAGE_SIZE}, List.of(
                new Reshape(new long[] {IMAGE_SIZE}, image),
                new Conv2d("conv1", image, dim, KERNEL, STRIDE, PADDING),
                new LeakyRelu(mid, leakySlope),
                new Conv2d("conv2", mid, 2 * dim, KERNEL, STRIDE, PADDING),
                new LeakyRelu(deep, leakySlope),
                new Reshape(deep, 2L * dim * SEED_SIDE * SEED_SIDE),
                new Dense("fc", 2L * dim * SEED_SIDE * SEED_SIDE, 1)));
    }

    /** Multiply-adds of one sample's generator forward: fc, then each transposed convolution's k² per input value and output channel. */
    public double generatorMacsPerSample() {
        double seed = SEED_SIDE * SEED_SIDE;
        return latentSize * 2.0 * dim * seed + 2.0 * dim * dim * KERNEL * KERNEL * seed
                + dim * 1.0 * KERNEL * KERNEL * 4 * seed;
    }

    /** Multiply-adds of one sample's critic forward: each convolution's k²·in per output value, then fc. */
    public double criticMacsPerSample() {
        double seed = SEED_SIDE * SEED_SIDE;
        return 4 * seed * dim * KERNEL * KERNEL + seed * 2.0 * dim * dim * KERNEL * KERNEL + 2.0 * dim * seed;
    }
}
