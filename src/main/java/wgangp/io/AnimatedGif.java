package wgangp.io;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Joins PNG frames of equal size into an animated GIF, e.g. the sample grids of successive epochs. */
public final class AnimatedGif {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";
    private static final int MAX_DELAY_CENTIS = 0xffff;

    private AnimatedGif() {
    }

    /**
     * @param pngFrames   the frames, all the same width and height
     * @param delayMillis how long each frame shows; GIF stores hundredths of a second, so this is rounded
     * @param loop        repeat forever rather than stop on the last frame
     */
    public static byte[] fromPngs(List<byte[]> pngFrames, int delayMillis, boolean loop) {
        if (pngFrames.isEmpty()) {
            throw new IllegalArgumentException("an animated GIF needs at least one frame");
        }
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis must not be negative, got " + delayMillis);
        }
        int delayCentis = (int) Math.min(MAX_DELAY_CENTIS, Math.round(delayMillis / 10.0));
        List<BufferedImage> frames = decode(pngFrames);

        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JVM has no ImageIO GIF writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage frame = frames.get(i);
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(frame), param);
                // The looping extension belongs once in the file; readers look for it on the first frame.
                configure(metadata, delayCentis, loop && i == 0);
                writer.writeToSequence(new IIOImage(frame, null, metadata), param);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a GIF to memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static List<BufferedImage> decode(List<byte[]> pngFrames) {
        List<BufferedImage> frames = new ArrayList<>(pngFrames.size());
        for (int i = 0; i < pngFrames.size(); i++) {
            BufferedImage image;
            try {
                image = ImageIO.read(new ByteArrayInputStream(pngFrames.get(i)));
            } catch (IOException e) {
                throw new IllegalArgumentException("frame " + i + " is not a readable PNG", e);
            }
            if (image == null) {
                throw new IllegalArgumentException("frame " + i + " is not a PNG");
            }
            BufferedImage first = frames.isEmpty() ? image : frames.get(0);
            if (image.getWidth() != first.getWidth() || image.getHeight() != first.getHeight()) {
                throw new IllegalArgumentException("frame " + i + " is " + image.getWidth() + "x" + image.getHeight()
                        + ", frame 0 is " + first.getWidth() + "x" + first.getHeight());
            }
            frames.add(image.getType() == BufferedImage.TYPE_BYTE_GRAY ? greyPalette(image) : image);
        }
        return frames;
    }

    /**
     * Re-expresses a greyscale image over an explicit 256-grey palette, so every grey value survives
     * exactly instead of going through the GIF writer's colour quantisation.
     */
    private static BufferedImage greyPalette(BufferedImage grey) {
        byte[] levels = new byte[256];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = (byte) i;
        }
        IndexColorModel palette = new IndexColorModel(8, 256, levels, levels, levels);
        BufferedImage indexed = new BufferedImage(grey.getWidth(), grey.getHeight(),
                BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setRect(grey.getRaster());
        return indexed;
    }

    private static void configure(IIOMetadata metadata, int delayCentis, boolean loopExtension)
            throws IIOInvalidTreeException {
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);

        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delayCentis));
        control.setAttribute("transparentColorIndex", "0");

        if (loopExtension) {
            IIOMetadataNode netscape = new IIOMetadataNode("ApplicationExtension");
            netscape.setAttribute("applicationID", "NETSCAPE");
            netscape.setAttribute("authenticationCode", "2.0");
            // Sub-block 1, then the repeat count as a little-endian short; 0 means forever.
            netscape.setUserObject(new byte[] {1, 0, 0});
            child(root, "ApplicationExtensions").appendChild(netscape);
        }
        metadata.setFromTree(FORMAT, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
        for (int i = 0; i < parent.getLength(); i++) {
            if (parent.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) parent.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        parent.appendChild(node);
        return node;
    }
}
