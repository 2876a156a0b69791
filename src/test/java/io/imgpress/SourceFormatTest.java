package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.googlejavaformat.java.Formatter;
import com.google.googlejavaformat.java.FormatterException;
import com.google.googlejavaformat.java.ImportOrderer;
import com.google.googlejavaformat.java.JavaFormatterOptions.Style;
import com.google.googlejavaformat.java.RemoveUnusedImports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The formatter check of {@code ./mvnw verify}: every Java source is as google-java-format leaves
 * it, with unused imports removed and imports ordered, the steps {@code ./mvnw spotless:apply}
 * takes. The check runs here rather than as {@code spotless:check} because tests run on the
 * project's JDK 25 toolchain, while Maven itself may run on an older JDK, on which Spotless refuses
 * google-java-format 1.35. Reformat every file with
 *
 * <pre>./mvnw test -Dtest=SourceFormatTest -Dimgpress.format.write=true</pre>
 *
 * or with {@code ./mvnw spotless:apply} when Maven itself runs on JDK 21 or later.
 */
class SourceFormatTest {

  static final String REFORMAT = "./mvnw test -Dtest=SourceFormatTest -Dimgpress.format.write=true";

  private static final List<String> SOURCE_ROOTS =
      List.of("src/main/java", "src/test/java", "src/bench/java");

  @Test
  void everyJavaSourceIsFormatted() throws IOException, FormatterException {
    Path base = Path.of(System.getProperty("basedir", "."));
    boolean write = Boolean.getBoolean("imgpress.format.write");
    Formatter formatter = new Formatter();
    List<Path> sources = sources(base);
    List<String> unformatted = new ArrayList<>();
    for (Path file : sources) {
      String source = Files.readString(file, StandardCharsets.UTF_8);
      String formatted = format(formatter, source);
      if (!formatted.equals(source)) {
        if (write) {
          Files.writeString(file, formatted, StandardCharsets.UTF_8);
        }
        unformatted.add(base.relativize(file).toString());
      }
    }
    assertThat(sources).as("Java sources found under " + SOURCE_ROOTS).isNotEmpty();
    if (!write) {
      assertThat(unformatted)
          .as("not formatted with google-java-format; reformat with\n  " + REFORMAT + "\n")
          .isEmpty();
    }
  }

  /** What Spotless's googleJavaFormat and removeUnusedImports steps make of a source. */
  static String format(Formatter formatter, String source) throws FormatterException {
    String formatted = formatter.formatSource(source);
    formatted = RemoveUnusedImports.removeUnusedImports(formatted);
    return ImportOrderer.reorderImports(formatted, Style.GOOGLE);
  }

  private static List<Path> sources(Path base) throws IOException {
    List<Path> sources = new ArrayList<>();
    for (String root : SOURCE_ROOTS) {
      Path dir = base.resolve(root);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(sources::add);
        }
      }
    }
    return sources;
  }
}
