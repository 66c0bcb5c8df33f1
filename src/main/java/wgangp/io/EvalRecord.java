package wgangp.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One evaluation of a checkpoint, {@code RUN/eval/<checkpoint>.json}, as the {@code evaluate}
 * command writes it. Only {@code checkpoint}, {@code generator_steps} and {@code fid} are
 * required; the other numbers are null when absent, and unknown keys are ignored so that later
 * additions to the file do not break reading it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvalRecord(
        @JsonProperty("checkpoint") String checkpoint,
        @JsonProperty("generator_steps") Long generatorSteps,
        @JsonProperty("critic_iters") Long criticIters,
        @JsonProperty("samples") Integer samples,
        @JsonProperty("held_out") Integer heldOut,
        @JsonProperty("fid") Double fid,
        @JsonProperty("fid_floor") Double fidFloor,
        @JsonProperty("class_histogram") int[] classHistogram,
        @JsonProperty("modes_covered") Integer modesCovered,
        @JsonProperty("mean_confidence") Double meanConfidence,
        @JsonProperty("classifier_accuracy") Double classifierAccuracy,
        @JsonProperty("seed") Long seed) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Parses one eval file; the message of the exception names {@code source} and what is wrong. */
    public static EvalRecord parse(byte[] json, String source) throws IOException {
        EvalRecord r;
        try {
            r = MAPPER.readValue(json, EvalRecord.class);
        } catch (IOException e) {
            throw new IOException(source + " is not an eval result: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (r == null || r.checkpoint() == null || r.generatorSteps() == null || r.fid() == null) {
            throw new IOException(source + " lacks one of the required keys checkpoint, generator_steps, fid");
        }
        return r;
    }

    /**
     * The eval files of {@code evalDir} in generator-step order; a file that cannot be read as one is
     * skipped with a warning on stderr, so one bad file does not hide the others.
     */
    public static List<EvalRecord> list(FileSystem fs, Path evalDir) throws IOException {
        List<EvalRecord> records = new ArrayList<>();
        for (FileStatus s : files(fs, evalDir)) {
            try (InputStream in = fs.open(s.getPath())) {
                records.add(parse(in.readAllBytes(), s.getPath().toString()));
            } catch (IOException e) {
                System.err.println("warning: skipping " + e.getMessage());
            }
        }
        records.sort(Comparator.comparingLong(EvalRecord::generatorSteps));
        return records;
    }

    /**
     * The result files of {@code evalDir}: its {@code .json} files, leaving out hidden ones (such as
     * {@link AtomicFiles}' temporaries) and {@code _}-prefixed ones; none when it does not exist.
     */
    public static List<FileStatus> files(FileSystem fs, Path evalDir) throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(evalDir);
        } catch (FileNotFoundException e) {
            return List.of();
        }
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus s : entries) {
            String name = s.getPath().getName();
            if (s.isFile() && name.endsWith(".json") && !name.startsWith(".") && !name.startsWith("_")) {
                files.add(s);
            }
        }
        return files;
    }
}
