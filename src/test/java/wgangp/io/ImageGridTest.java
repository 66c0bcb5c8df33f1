package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageGridTest {

    private static final int ROWS = 4;
    private static final int COLS = 3;
    private static final int PAD = 2;

    @Test
    void pixelsLandInTheirCells() throws IOException {
        float[] dark = filled(-1f);
        dark[1 * COLS + 2] = 1f; // row 1, column 2 of image 0
        float[] bright = filled(1f);
        float[] mixed = filled(0f);
        mixed[0] = 5f;   // clamped to white
        mixed[1] = -7f;  // clamped to black
        mixed[2] = Float.NaN;

        byte[] png = ImageGrid.png(new float[][] {dark, bright, mixed}, ROWS, COLS, 2, 2, PAD);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(decoded, "not a PNG");
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, decoded.getType());
        assertEquals(2 * COLS + PAD, decoded.getWidth());
        assertEquals(2 * ROWS + PAD, decoded.getHeight());
        Raster r = decoded.getRaster();

        // Cell (0, 0): image 0.
        assertEquals(0, r.getSample(0, 0, 0));
        assertEquals(255, r.getSample(2, 1, 0));
        assertEquals(0, r.getSample(1, 1, 0));
        // Cell (0, 1): image 1 starts after one image width and the padding.
        int x1 = COLS + PAD;
        for (int y = 0; y < ROWS; y++) {
            for (int x = x1; x < x1 + COLS; x++) {
                assertEquals(255, r.getSample(x, y, 0), "at " + x + "," + y);
            }
        }
        // Cell (1, 0): image 2.
        int y2 = ROWS + PAD;
        assertEquals(255, r.getSample(0, y2, 0));
        assertEquals(0, r.getSample(1, y2, 0));
        assertEquals(0, r.getSample(2, y2, 0));
        assertEquals(128, r.getSample(0, y2 + 1, 0));
        // Cell (1, 1): no image, left black.
        for (int y = y2; y < y2 + ROWS; y++) {
            for (int x = x1; x < x1 + COLS; x++) {
                assertEquals(0, r.getSample(x, y, 0), "at " + x + "," + y);
            }
        }
        // Padding between the cells, both directions.
        assertEquals(ImageGrid.PADDING_GREY, r.getSample(COLS, 0, 0));
        assertEquals(ImageGrid.PADDING_GREY, r.getSample(COLS + PAD - 1, ROWS - 1, 0));
        assertEquals(ImageGrid.PADDING_GREY, r.getSample(0, ROWS, 0));
        assertEquals(ImageGrid.PADDING_GREY, r.getSample(x1, ROWS + PAD - 1, 0));
    }

    @Test
    void withoutPaddingCellsTouch() {
        BufferedImage image = ImageGrid.image(new float[][] {filled(-1f), filled(1f)}, ROWS, COLS, 1, 2, 0);

        assertEquals(2 * COLS, image.getWidth());
        assertEquals(0, image.getRaster().getSample(COLS - 1, 0, 0));
        assertEquals(255, image.getRaster().getSample(COLS, 0, 0));
    }

    @Test
    void rejectsWhatDoesNotFit() {
        float[][] five = {filled(0), filled(0), filled(0), filled(0), filled(0)};
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(five, ROWS, COLS, 2, 2, PAD));
        float[][] wrongSize = {new float[ROWS * COLS + 1]};
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(wrongSize, ROWS, COLS, 1, 1, PAD));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(new float[0][], ROWS, COLS, 1, 1, -1));
    }

    private static float[] filled(float v) {
        float[] image = new float[ROWS * COLS];
        Arrays.fill(image, v);
        return image;
    }
}
