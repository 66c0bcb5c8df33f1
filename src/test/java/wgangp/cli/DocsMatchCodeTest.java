package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import wgangp.job.ConfigSources;
import wgangp.job.JobConfig;

/**
 * README.md and docs/*.md against the code, so that the documentation cannot drift from it again:
 * <ul>
 *   <li>the key table of docs/configuration.md ({@code | key | `train` option | default | on resume | meaning |})
 *       has exactly the keys of {@link JobConfig#defaults()}, each with its default (a key whose default is
 *       empty, such as {@code out}, says "empty" and what that means), its {@code train} option, and whether
 *       a resumed run may change it ({@link JobConfig#TRAINING_KEYS}); conf/wgan-gp.properties holds the same
 *       keys and values;</li>
 *   <li>every table whose first header cell is {@code `SUBCOMMAND` option} lists options of that picocli
 *       command, all of them, and with a {@code default} column the default the code has (picocli's
 *       default value, or the "(default: X)" its help text states);</li>
 *   <li>every command line in a code span or code block that runs a subcommand ({@code ./submit.sh … train …},
 *       {@code … WganGpJob JAR evaluate …}, or a span starting with the subcommand) uses only that command's
 *       options, {@code --set} only with known keys, and {@code [--option VALUE]} only with the real default;</li>
 *   <li>every relative link and image resolves to a file, and every {@code #anchor} to a heading there;</li>
 *   <li>the README's exit-code table lists every {@link ExitCodes} value, and nothing else but signal exits
 *       (128 + signal number).</li>
 * </ul>
 * The checks return the problems they find rather than stop at the first, so one run names all the drift;
 * the {@code catches…} tests feed each check a drifted snippet to show it would fail.
 */
class DocsMatchCodeTest {
    static final Path README = Path.of("README.md");
    static final Path DOCS = Path.of("docs");
    static final Path CONFIGURATION = DOCS.resolve("configuration.md");
    static final Path PROPERTIES = Path.of("conf/wgan-gp.properties");

    static final CommandLine CLI = new CommandLine(Main.class, CommandLine.defaultFactory());
    static final Pattern CODE_SPAN = Pattern.compile("`([^`\n]+)`");
    static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)\\)");
    static final Pattern BRACKETED_DEFAULT = Pattern.compile("\\[(--[\\w-]+)[ =]([^\\]\\s]+)]");
    static final Pattern PLACEHOLDER = Pattern.compile("[A-Z][A-Z0-9_.]*|.*[|…<].*");
    static final Pattern SET = Pattern.compile("--set[ =]([\\w.]+)=");
    static final Pattern HELP_DEFAULT = Pattern.compile("\\(default: ([^)]+)\\)");

    @Test
    void theKeyTableHasEveryKeyWithItsDefaultOptionAndResumeRule() {
        List<Table> tables = tables(read(CONFIGURATION)).stream().filter(t -> t.column("key") == 0).toList();
        assertEquals(1, tables.size(), CONFIGURATION + " has one table whose first column is 'key'");
        assertNoProblems(keyTableProblems(tables.get(0)));
    }

    @Test
    void thePropertiesFileHoldsEveryKeyWithItsDefault() {
        Map<String, String> file = ConfigSources.properties(PROPERTIES.toString(), new Configuration());
        assertEquals(new TreeMap<>(JobConfig.defaults()), new TreeMap<>(file), PROPERTIES + " against JobConfig.defaults()");
    }

    @Test
    void optionTablesListExactlyTheOptionsOfTheirSubcommand() {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        for (Path doc : documents()) {
            for (Table table : tables(read(doc))) {
                problems.addAll(optionTableProblems(doc, table, documented));
            }
        }
        // The key table's option column documents train's configuration options.
        for (Table t : tables(read(CONFIGURATION))) {
            int option = t.column("`train` option");
            if (t.column("key") == 0 && option >= 0) {
                t.rows().forEach(r -> firstToken(r.get(option)).ifPresent(
                        o -> documented.computeIfAbsent("train", k -> new TreeSet<>()).add(o)));
            }
        }
        documented.forEach((command, options) -> {
            Set<String> missing = new TreeSet<>(optionNames(command));
            missing.removeAll(options);
            missing.removeAll(List.of("--help", "-h", "--version", "-V"));
            if (!missing.isEmpty()) {
                problems.add("the option tables of '" + command + "' lack " + missing);
            }
        });
        assertTrue(documented.containsKey("train"), "no table of train options");
        assertNoProblems(problems);
    }

    @Test
    void commandLinesUseOnlyOptionsAndKeysTheCodeHas() {
        List<String> problems = new ArrayList<>();
        int commands = 0;
        for (Path doc : documents()) {
            for (String line : commandLines(read(doc))) {
                List<String> found = commandLineProblems(line);
                if (found != null) {
                    commands++;
                    found.forEach(p -> problems.add(doc + ": " + p));
                }
            }
        }
        assertTrue(commands > 30, "found only " + commands + " command lines; is the parser still finding them?");
        assertNoProblems(problems);
    }

    @Test
    void everyRelativeLinkResolves() {
        List<String> problems = new ArrayList<>();
        for (Path doc : documents()) {
            problems.addAll(linkProblems(doc, read(doc)));
        }
        assertNoProblems(problems);
    }

    @Test
    void theExitCodeTableMatchesExitCodes() {
        List<Table> tables = tables(read(README)).stream().filter(t -> t.column("code") == 0).toList();
        assertEquals(1, tables.size(), "README.md has one exit-code table");
        assertNoProblems(exitCodeProblems(tables.get(0)));
    }

    @Test
    void theReadmeStaysShort() {
        long lines = read(README).lines().count();
        assertTrue(lines <= 250, "README.md has " + lines + " lines; move the depth into docs/");
    }

    // --- each check on drifted input: it must object ---------------------------------------------

    @Test
    void catchesAWrongDefaultAnUnknownKeyAMissingKeyAndAWrongResumeRule() {
        StringBuilder md = new StringBuilder("| key | `train` option | default | on resume | meaning |\n|---|---|---|---|---|\n");
        JobConfig.defaults().forEach((key, value) -> {
            if (key.equals("averagingFrequency")) {
                md.append("| `averagingFrequency` | `--averaging-frequency N` | `").append(value).append("0` | fixed | x |\n");
            } else if (key.equals("seed")) {
                md.append("| `seed` | `--seed N` | `1` | may change | x |\n");
            } else if (!key.equals("lr")) {
                md.append("| `").append(key).append("` | | ").append(value.isEmpty() ? "empty" : "`" + value + "`")
                        .append(" | ").append(JobConfig.TRAINING_KEYS.contains(key) ? "fixed" : "may change")
                        .append(" | x |\n");
            }
        });
        md.append("| `critic.depth` | | `3` | fixed | x |\n");
        String problems = String.join("\n", keyTableProblems(tables(md.toString()).get(0)));
        String code = JobConfig.defaults().get("averagingFrequency");
        assertTrue(problems.contains("averagingFrequency: the docs say default '" + code + "0', the code '" + code + "'"),
                problems);
        assertTrue(problems.contains("critic.depth"), problems);
        assertTrue(problems.contains("lr"), problems);
        assertTrue(problems.contains("seed"), problems);
        assertTrue(problems.contains("--workers"), "an option missing from the key table: " + problems);
    }

    @Test
    void catchesAnUnknownOptionAnUnknownKeyAndAWrongBracketedDefault() {
        assertEquals(List.of(), commandLineProblems("./submit.sh --master 'local[2]' train --workers 2 --set latent=16"));
        assertTrue(String.join("\n", commandLineProblems("./submit.sh train --warkers 2")).contains("--warkers"));
        assertTrue(String.join("\n", commandLineProblems("train --set latentSize=16")).contains("latentSize"));
        assertTrue(String.join("\n", commandLineProblems("--set critic.width=64")).contains("critic.width"));
        assertTrue(String.join("\n", commandLineProblems("sample --checkpoint URI [--count 30]")).contains("'25'"));
        assertEquals(null, commandLineProblems("python3 wgan_gp_reference.py train --iters 5"));
        List<String> table = optionTableProblems(Path.of("x.md"),
                tables("| `evaluate` option | default | meaning |\n|---|---|---|\n| `--count N` | 500 | x |\n"
                        + "| `--samples-dir URI` | | x |\n").get(0), new HashMap<>());
        assertTrue(String.join("\n", table).contains("'1000'"), table.toString());
        assertTrue(String.join("\n", table).contains("--samples-dir"), table.toString());
    }

    @Test
    void catchesABrokenLinkAndAnchor() throws IOException {
        List<String> problems = linkProblems(README,
                "[a](docs/no-such-page.md) [b](docs/configuration.md#no-such-heading) [c](docs/configuration.md#keys)"
                        + " [d](https://example.org/x)");
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void catchesAnUndocumentedExitCode() {
        String problems = String.join("\n", exitCodeProblems(tables(
                "| code | meaning |\n|---|---|\n| 0 | ok |\n| 1 | x |\n| 2 | x |\n| 3 | x |\n| 5 | x |\n| 130 | x |\n").get(0)));
        assertTrue(problems.contains("4") && problems.contains("70") && problems.contains("5"), problems);
        assertFalse(problems.contains("130"), problems);
    }

    // --- the checks ------------------------------------------------------------------------------

    static List<String> keyTableProblems(Table table) {
        List<String> problems = new ArrayList<>();
        int option = table.column("`train` option");
        int defaultColumn = table.column("default");
        int resume = table.column("on resume");
        if (option < 0 || defaultColumn < 0 || resume < 0) {
            return List.of("the key table needs the columns '`train` option', 'default' and 'on resume': " + table.header());
        }
        Map<String, String> defaults = JobConfig.defaults();
        Set<String> seen = new LinkedHashSet<>();
        Map<String, String> keyOfOption = new HashMap<>();
        for (List<String> row : table.rows()) {
            String key = firstSpan(row.get(0)).orElse(row.get(0));
            if (!seen.add(key)) {
                problems.add(key + ": listed twice");
            }
            if (!defaults.containsKey(key)) {
                problems.add(key + ": documented but not a configuration key of JobConfig");
                continue;
            }
            String code = defaults.get(key);
            String cell = row.get(defaultColumn);
            if (code.isEmpty()) {
                if (!cell.startsWith("empty")) {
                    problems.add(key + ": the code's default is empty, the docs say '" + cell + "' (write 'empty: …')");
                }
            } else if (!firstSpan(cell).orElse("").equals(code)) {
                problems.add(key + ": the docs say default '" + firstSpan(cell).orElse(cell) + "', the code '" + code + "'");
            }
            String rule = JobConfig.TRAINING_KEYS.contains(key) ? "fixed" : "may change";
            if (!row.get(resume).equals(rule)) {
                problems.add(key + ": on resume the docs say '" + row.get(resume) + "', the code '" + rule + "'");
            }
            firstToken(row.get(option)).ifPresent(o -> {
                keyOfOption.put(o, key);
                if (!optionNames("train").contains(o)) {
                    problems.add(key + ": train has no option " + o);
                } else if (!o.equals(optionFor(key))) {
                    problems.add(key + ": documented with " + o + ", but that option's name is not " + optionFor(key));
                }
            });
        }
        for (String key : defaults.keySet()) {
            if (!seen.contains(key)) {
                problems.add(key + ": a configuration key of JobConfig that the key table lacks");
            }
            if (optionNames("train").contains(optionFor(key)) && !keyOfOption.containsKey(optionFor(key))) {
                problems.add(key + ": train has " + optionFor(key) + " but the key table does not name it");
            }
        }
        return problems;
    }

    /** Problems of one table whose first header cell is {@code `SUBCOMMAND` option}; other tables have none. */
    static List<String> optionTableProblems(Path doc, Table table, Map<String, Set<String>> documented) {
        Matcher m = Pattern.compile("`([\\w-]+)` option").matcher(table.header().get(0));
        if (!m.matches()) {
            return List.of();
        }
        String command = m.group(1);
        if (!CLI.getSubcommands().containsKey(command)) {
            return List.of(doc + ": a table of options of '" + command + "', which is no subcommand");
        }
        List<String> problems = new ArrayList<>();
        int defaultColumn = table.column("default");
        for (List<String> row : table.rows()) {
            String option = firstToken(row.get(0)).orElse(row.get(0));
            documented.computeIfAbsent(command, k -> new TreeSet<>()).add(option);
            OptionSpec spec = spec(command).findOption(option);
            if (spec == null) {
                problems.add(doc + ": " + command + " has no option " + option);
            } else if (defaultColumn >= 0) {
                String code = defaultOf(spec);
                String docs = firstSpan(row.get(defaultColumn)).orElse(row.get(defaultColumn));
                if (!docs.equals(code == null ? "" : code)) {
                    problems.add(doc + ": " + command + " " + option + " defaults to '" + (code == null ? "" : code)
                            + "', the docs say '" + docs + "'");
                }
            }
        }
        return problems;
    }

    /**
     * Problems of one command line, or null when it runs no subcommand of this job (another
     * program's command line, or prose).
     */
    static List<String> commandLineProblems(String line) {
        if (line.contains("wgan_gp_reference.py")) {
            return null;
        }
        List<String> tokens = List.of(line.trim().split("\\s+"));
        int start = -1;
        if (tokens.get(0).equals("--set")) {
            return setProblems(line);
        }
        if (CLI.getSubcommands().containsKey(tokens.get(0))) {
            start = 0;
        } else {
            for (int i = 0; i < tokens.size() && start < 0; i++) {
                if (tokens.get(i).endsWith("submit.sh") || tokens.get(i).equals("WganGpJob")) {
                    for (int j = i + 1; j < tokens.size() && start < 0; j++) {
                        if (CLI.getSubcommands().containsKey(tokens.get(j))) {
                            start = j;
                        }
                    }
                }
            }
        }
        if (start < 0) {
            return null;
        }
        String command = tokens.get(start);
        CommandSpec spec = spec(command);
        List<String> problems = new ArrayList<>();
        for (int i = start + 1; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (Set.of("#", "|", "&&", ";", ">", "2>&1").contains(token)) {
                break;
            }
            String option = token.replaceAll("^\\[+", "").replaceAll("[=\\]].*$", "");
            if (option.startsWith("--")) {
                if (spec.findOption(option) == null) {
                    problems.add(command + " has no option " + option + " (in: " + line.trim() + ")");
                }
            }
        }
        if (command.equals("train")) {
            problems.addAll(setProblems(line));
        }
        Matcher bracketed = BRACKETED_DEFAULT.matcher(line);
        while (bracketed.find()) {
            OptionSpec option = spec.findOption(bracketed.group(1));
            String value = bracketed.group(2);
            if (option != null && !PLACEHOLDER.matcher(value).matches() && !value.equals(defaultOf(option))) {
                problems.add(command + " " + bracketed.group(1) + " defaults to '" + defaultOf(option)
                        + "', the docs say [" + bracketed.group(1) + " " + value + "]");
            }
        }
        return problems;
    }

    /** Problems of the {@code --set KEY=VALUE} settings on a line: each KEY must be a configuration key. */
    static List<String> setProblems(String line) {
        List<String> problems = new ArrayList<>();
        Matcher set = SET.matcher(line);
        while (set.find()) {
            if (!set.group(1).equals("KEY") && !JobConfig.defaults().containsKey(set.group(1))) {
                problems.add("--set " + set.group(1) + ": no such configuration key (in: " + line.trim() + ")");
            }
        }
        return problems;
    }

    static List<String> linkProblems(Path doc, String text) {
        List<String> problems = new ArrayList<>();
        Matcher m = LINK.matcher(prose(text));
        while (m.find()) {
            String target = m.group(1);
            if (target.matches("[a-z]+:.*")) {
                continue;
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            Path resolved = file.isEmpty() ? doc : doc.toAbsolutePath().getParent().resolve(file).normalize();
            if (!Files.exists(resolved)) {
                problems.add(doc + ": link to " + target + ", which does not exist");
            } else if (hash >= 0 && resolved.toString().endsWith(".md")
                    && !anchors(read(resolved)).contains(target.substring(hash + 1))) {
                problems.add(doc + ": link to " + target + ", whose page has no such heading; it has "
                        + anchors(read(resolved)));
            }
        }
        return problems;
    }

    static List<String> exitCodeProblems(Table table) {
        Set<Integer> documented = new TreeSet<>();
        for (List<String> row : table.rows()) {
            for (String c : row.get(0).split(",\\s*")) {
                documented.add(Integer.parseInt(c.trim()));
            }
        }
        Set<Integer> code = new TreeSet<>();
        for (Field f : ExitCodes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                try {
                    code.add(f.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        List<String> problems = new ArrayList<>();
        code.stream().filter(c -> !documented.contains(c)).forEach(c -> problems.add("exit code " + c
                + " is in ExitCodes but not in the table"));
        // A process killed by signal n exits with 128 + n; those codes need no constant.
        documented.stream().filter(c -> !code.contains(c) && !(c > 128 && c < 160)).forEach(c -> problems.add(
                "exit code " + c + " is documented but is not in ExitCodes"));
        return problems;
    }

    // --- reading markdown ------------------------------------------------------------------------

    /** A markdown table: the header's cells and each row's, trimmed, {@code \|} unescaped. */
    record Table(List<String> header, List<List<String>> rows) {
        int column(String name) {
            return header.indexOf(name);
        }
    }

    static List<Table> tables(String markdown) {
        List<Table> tables = new ArrayList<>();
        List<List<String>> block = new ArrayList<>();
        for (String line : (markdown + "\n").split("\n", -1)) {
            if (line.startsWith("|")) {
                block.add(cells(line));
            } else {
                if (block.size() >= 2 && block.get(1).stream().allMatch(c -> c.matches(":?-+:?"))) {
                    tables.add(new Table(block.get(0), block.subList(2, block.size())));
                }
                block = new ArrayList<>();
            }
        }
        return tables;
    }

    static List<String> cells(String line) {
        String inner = line.trim().replaceAll("^\\|", "").replaceAll("(?<!\\\\)\\|$", "");
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.trim().replace("\\|", "|"));
        }
        return cells;
    }

    /**
     * The command lines worth checking: each inline code span, and each line of a fenced code block
     * with its backslash continuations joined.
     */
    static List<String> commandLines(String markdown) {
        List<String> lines = new ArrayList<>();
        Matcher span = CODE_SPAN.matcher(prose(markdown));
        while (span.find()) {
            lines.add(span.group(1).replace("\\|", "|"));
        }
        boolean fenced = false;
        StringBuilder logical = new StringBuilder();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (fenced) {
                if (line.endsWith("\\")) {
                    logical.append(line, 0, line.length() - 1).append(' ');
                } else {
                    lines.add(logical.append(line).toString());
                    logical.setLength(0);
                }
            }
        }
        return lines;
    }

    /** The markdown without its fenced code blocks, which hold no links or headings. */
    static String prose(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && !line.startsWith("    ")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> count = new HashMap<>();
        for (String line : prose(markdown).split("\n")) {
            if (line.matches("#{1,6} .*")) {
                StringBuilder slug = new StringBuilder();
                line.replaceFirst("#+ ", "").trim().toLowerCase().codePoints().forEach(c -> {
                    if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                        slug.appendCodePoint(c);
                    } else if (c == ' ') {
                        slug.append('-');
                    }
                });
                int n = count.merge(slug.toString(), 1, Integer::sum);
                anchors.add(n == 1 ? slug.toString() : slug + "-" + (n - 1));
            }
        }
        return anchors;
    }

    static java.util.Optional<String> firstSpan(String cell) {
        Matcher m = CODE_SPAN.matcher(cell);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** The first word of the cell's first code span, e.g. {@code --workers} of {@code `--workers N`}. */
    static java.util.Optional<String> firstToken(String cell) {
        return firstSpan(cell).map(s -> s.trim().split("\\s+")[0]);
    }

    // --- the code's side -------------------------------------------------------------------------

    static CommandSpec spec(String command) {
        return CLI.getSubcommands().get(command).getCommandSpec();
    }

    static Set<String> optionNames(String command) {
        Set<String> names = new TreeSet<>();
        spec(command).options().forEach(o -> names.addAll(List.of(o.names())));
        return names;
    }

    /** The option a key's value is given with on the command line: its name in kebab case. */
    static String optionFor(String key) {
        return "--" + key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** An option's default: picocli's, or where the command computes it, the one its help text states. */
    static String defaultOf(OptionSpec option) {
        if (option.defaultValue() != null) {
            return option.defaultValue();
        }
        Matcher m = HELP_DEFAULT.matcher(String.join(" ", option.description()));
        return m.find() ? m.group(1) : null;
    }

    static List<Path> documents() {
        List<Path> docs = new ArrayList<>(List.of(README));
        try (Stream<Path> files = Files.list(DOCS)) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertNoProblems(List<String> problems) {
        assertTrue(problems.isEmpty(), problems.size() + " place(s) where the docs and the code disagree:\n  "
                + String.join("\n  ", problems));
    }
}
