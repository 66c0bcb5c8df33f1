package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

class AnimatedGifTest {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    @Test
    void framesDelayAndLoopSurviveARoundTrip() throws IOException {
        List<byte[]> pngs = frames(3);

        byte[] gif = AnimatedGif.fromPngs(pngs, 250, true);

        ImageReader reader = gifReader(gif);
        try {
            assertEquals(3, reader.getNumImages(true));
            for (int i = 0; i < 3; i++) {
                Node control = find(reader.getImageMetadata(i).getAsTree(FORMAT), "GraphicControlExtension");
                assertNotNull(control, "frame " + i + " has no GraphicControlExtension");
                assertEquals("25", attribute(control, "delayTime"));

                BufferedImage expected = ImageIO.read(new ByteArrayInputStream(pngs.get(i)));
                BufferedImage actual = reader.read(i);
                assertEquals(expected.getWidth(), actual.getWidth());
                assertEquals(expected.getHeight(), actual.getHeight());
                for (int y = 0; y < expected.getHeight(); y++) {
                    for (int x = 0; x < expected.getWidth(); x++) {
                        int grey = expected.getRaster().getSample(x, y, 0);
                        assertEquals(grey * 0x010101, actual.getRGB(x, y) & 0xffffff,
                                "frame " + i + " at " + x + "," + y);
                    }
                }
            }
            Node netscape = find(reader.getImageMetadata(0).getAsTree(FORMAT), "ApplicationExtension");
            assertNotNull(netscape, "no looping extension");
            assertEquals("NETSCAPE", attribute(netscape, "applicationID"));
            assertEquals("2.0", attribute(netscape, "authenticationCode"));
            byte[] loops = (byte[]) ((javax.imageio.metadata.IIOMetadataNode) netscape).getUserObject();
            assertArrayEquals(new byte[] {1, 0, 0}, loops);
        } finally {
            reader.dispose();
        }
    }

    @Test
    void playsOnceWithoutTheLoopExtension() throws IOException {
        byte[] gif = AnimatedGif.fromPngs(frames(2), 104, false);

        ImageReader reader = gifReader(gif);
        try {
            assertEquals(2, reader.getNumImages(true));
            Node first = reader.getImageMetadata(0).getAsTree(FORMAT);
            assertNull(find(first, "ApplicationExtension"));
            assertEquals("10", attribute(find(first, "GraphicControlExtension"), "delayTime"));
        } finally {
            reader.dispose();
        }
    }

    @Test
    void rejectsNoFramesAndMixedSizes() {
        assertThrows(IllegalArgumentException.class, () -> AnimatedGif.fromPngs(List.of(), 100, true));
        byte[] small = ImageGrid.png(new float[][] {new float[4]}, 2, 2, 1, 1, 0);
        byte[] large = ImageGrid.png(new float[][] {new float[9]}, 3, 3, 1, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> AnimatedGif.fromPngs(List.of(small, large), 100, true));
        assertThrows(IllegalArgumentException.class, () -> AnimatedGif.fromPngs(List.of(small), -1, true));
    }

    /** Grids whose pixels differ from frame to frame and cover many grey levels. */
    private static List<byte[]> frames(int n) {
        List<byte[]> frames = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            float[][] images = new float[4][64];
            for (int k = 0; k < images.length; k++) {
                for (int p = 0; p < 64; p++) {
                    images[k][p] = ((p * 37 + k * 11 + f * 5) % 256) / 127.5f - 1f;
                }
            }
            frames.add(ImageGrid.png(images, 8, 8, 2, 2, 1));
        }
        return frames;
    }

    private static ImageReader gifReader(byte[] gif) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif));
        reader.setInput(in);
        return reader;
    }

    private static Node find(Node node, String name) {
        if (node.getNodeName().equals(name)) {
            return node;
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            Node found = find(child, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String attribute(Node node, String name) {
        return node.getAttributes().getNamedItem(name).getNodeValue();
    }
}
