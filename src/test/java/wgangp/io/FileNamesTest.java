package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The names the driver gives files are the same whatever its locale: a driver resumed on a host
 * whose locale writes other digits (Arabic, Devanagari, …) must find the checkpoints and grids an
 * earlier driver wrote.
 */
class FileNamesTest {
    private final Locale before = Locale.getDefault();

    @AfterEach
    void restore() {
        Locale.setDefault(before);
    }

    @Test
    void checkpointAndGridNamesUseAsciiDigitsInEveryLocale() {
        for (String tag : new String[] {"ar-EG", "hi-IN-u-nu-deva", "fa-IR", "de-DE"}) {
            Locale.setDefault(Locale.forLanguageTag(tag));
            assertEquals("step-0001600", Checkpoints.name(1600), tag);
            assertEquals("012_0001600.png", SampleGridFile.name(12, 1600), tag);
        }
    }
}
