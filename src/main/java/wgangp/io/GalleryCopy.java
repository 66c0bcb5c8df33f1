package wgangp.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * Copies what people look at of a run (its gallery: {@code index.html}, {@code samples/} with the
 * grids and {@code progress.gif}, {@code metrics.jsonl}, {@code config.json},
 * {@code provenance.json}, {@code eval/}, and {@code checkpoints/} only when asked) from any Hadoop
 * file system to a folder, typically a local one for a notebook.
 *
 * <p>The whole gallery is copied into a hidden temporary folder beside the target and renamed into
 * place, so the target never holds half a copy. Names starting with {@code .} or {@code _}
 * (temporary files of a run still being written, checksum files) are skipped. On the local file
 * system the copy is written without Hadoop's {@code .crc} side files: it is meant to be read by
 * people and notebooks, not by Hadoop.
 */
public final class GalleryCopy {
    /** Files of the run's top level that belong to the gallery. */
    static final List<String> FILES = List.of(RunInfo.INDEX, RunDirectory.CONFIG, RunDirectory.PROVENANCE,
            RunDirectory.METRICS);
    /** Folders of the run that belong to the gallery (checkpoints only on request). */
    static final List<String> FOLDERS = List.of(RunDirectory.SAMPLES, RunDirectory.EVAL);

    /** What a copy wrote. */
    public record Report(Path target, int files, long bytes) {
    }

    private final RunDirectory run;
    private final FileSystem targetFs;
    private final boolean overwrite;

    private GalleryCopy(RunDirectory run, FileSystem targetFs, boolean overwrite) {
        this.run = run;
        this.targetFs = targetFs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : targetFs;
        this.overwrite = overwrite;
    }

    /** A copier of {@code run} onto {@code targetFs}; with {@code overwrite}, an existing target may be replaced. */
    public static GalleryCopy of(RunDirectory run, FileSystem targetFs, boolean overwrite) {
        return new GalleryCopy(run, targetFs, overwrite);
    }

    /**
     * Copies the gallery into the folder {@code target}, which must not exist or be empty unless
     * {@code overwrite} was given, and even then must look like a copied run (hold
     * {@code config.json}, {@code samples/}, {@code metrics.jsonl} or {@code index.html}), so that an
     * unrelated folder is never deleted.
     */
    public Report copyGallery(Path target, boolean withCheckpoints) throws IOException {
        Path dest = targetFs.makeQualified(target);
        Path parent = dest.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("cannot copy into " + dest + ": it is the root of its file system");
        }
        boolean replace = checkTarget(dest);
        Path tmp = new Path(parent, "._tmp-" + dest.getName() + "-" + UUID.randomUUID());
        boolean renamed = false;
        try {
            if (!targetFs.mkdirs(tmp)) {
                throw new IOException("cannot create " + tmp);
            }
            Report copied = new Report(dest, 0, 0);
            for (String f : FILES) {
                copied = add(copied, copyTree(run.file(f), new Path(tmp, f)));
            }
            for (String d : FOLDERS) {
                copied = add(copied, copyTree(run.file(d), new Path(tmp, d)));
            }
            if (withCheckpoints) {
                copied = add(copied, copyTree(run.file(RunDirectory.CHECKPOINTS),
                        new Path(tmp, RunDirectory.CHECKPOINTS)));
            }
            if (replace && !targetFs.delete(dest, true)) {
                throw new IOException("cannot delete " + dest + " to replace it");
            }
            AtomicFiles.renameDirectory(targetFs, tmp, dest);
            renamed = true;
            return copied;
        } finally {
            if (!renamed) {
                targetFs.delete(tmp, true);
            }
        }
    }

    /**
     * Copies the grid {@code name} ({@code 000_0000400.png}, with or without {@code .png}) into the
     * folder {@code targetDir}, which may hold other files but not one of that name unless
     * {@code overwrite} was given.
     */
    public Report copyGrid(String name, Path targetDir) throws IOException {
        String file = name.endsWith(".png") ? name : name + ".png";
        List<SampleGridFile> grids = SampleGridFile.list(run.fs(), run.samples());
        SampleGridFile grid = grids.stream().filter(g -> g.name().equals(file)).findFirst().orElseThrow(() ->
                new FileNotFoundException(run.samples() + " has no grid " + file + (grids.isEmpty() ? "; it has none"
                        : "; it has " + grids.get(0).name() + " … " + grids.get(grids.size() - 1).name())));
        Path dest = targetFs.makeQualified(new Path(targetDir, file));
        if (targetFs.exists(dest) && !overwrite) {
            throw new TargetExistsException(dest + " already exists; pass --overwrite to replace it");
        }
        byte[] bytes;
        try (InputStream in = run.fs().open(grid.path())) {
            bytes = in.readAllBytes();
        }
        AtomicFiles.write(targetFs, dest, bytes);
        return new Report(dest, 1, bytes.length);
    }

    /** Refuses a target that is in use; returns whether an existing one is to be replaced. */
    private boolean checkTarget(Path dest) throws IOException {
        FileStatus status;
        try {
            status = targetFs.getFileStatus(dest);
        } catch (FileNotFoundException e) {
            return false;
        }
        if (status.isDirectory() && targetFs.listStatus(dest).length == 0) {
            return true;
        }
        if (!overwrite) {
            throw new TargetExistsException(dest + " already exists and is not empty; pass --overwrite to replace it"
                    + " or choose another folder");
        }
        if (!status.isDirectory() || !looksLikeGallery(dest)) {
            throw new TargetExistsException("--overwrite refused: " + dest + " does not look like a copied run (no "
                    + String.join(", ", RunDirectory.CONFIG, RunDirectory.SAMPLES + "/", RunDirectory.METRICS,
                    RunInfo.INDEX) + "); delete it yourself if it is one");
        }
        return true;
    }

    private boolean looksLikeGallery(Path dir) throws IOException {
        for (String f : List.of(RunDirectory.CONFIG, RunDirectory.SAMPLES, RunDirectory.METRICS, RunInfo.INDEX)) {
            if (targetFs.exists(new Path(dir, f))) {
                return true;
            }
        }
        return false;
    }

    /** Copies a file or a folder's visible contents; a missing source copies nothing. */
    private Report copyTree(Path src, Path dst) throws IOException {
        FileStatus status;
        try {
            status = run.fs().getFileStatus(src);
        } catch (FileNotFoundException e) {
            return new Report(dst, 0, 0);
        }
        if (status.isFile()) {
            if (!FileUtil.copy(run.fs(), src, targetFs, dst, false, true, run.fs().getConf())) {
                throw new IOException("cannot copy " + src + " to " + dst);
            }
            return new Report(dst, 1, status.getLen());
        }
        if (!targetFs.mkdirs(dst)) {
            throw new IOException("cannot create " + dst);
        }
        Report copied = new Report(dst, 0, 0);
        for (FileStatus child : run.fs().listStatus(src)) {
            String name = child.getPath().getName();
            if (!name.startsWith(".") && !name.startsWith("_")) {
                copied = add(copied, copyTree(child.getPath(), new Path(dst, name)));
            }
        }
        return copied;
    }

    private static Report add(Report a, Report b) {
        return new Report(a.target(), a.files() + b.files(), a.bytes() + b.bytes());
    }
}
