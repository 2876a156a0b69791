package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.imgpress.intake.CsvParserFuzzer;
import io.imgpress.net.OutboundGuardFuzzer;
import io.imgpress.processing.ImageHeaderFuzzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fuzz targets of fuzz/run.sh as properties on every build: each committed input (the seeds and
 * every finding of a fuzz run, under src/test/resources/fuzz/TARGET) replayed, and inputs generated
 * from them by random byte mutations (a fixed seed per target, so a failure repeats). Each target
 * lets only its documented rejections out; anything else thrown fails the test.
 */
class FuzzRegressionTest {

  private static final Map<String, Consumer<byte[]>> TARGETS =
      Map.of(
          "csv", CsvParserFuzzer::fuzzerTestOneInput,
          "guard", OutboundGuardFuzzer::fuzzerTestOneInput,
          "image", ImageHeaderFuzzer::fuzzerTestOneInput);

  /** Generated inputs per target and build. */
  private static final int MUTANTS = 300;

  static Stream<Arguments> committedInputs() {
    List<Arguments> inputs = new ArrayList<>();
    for (String target : TARGETS.keySet().stream().sorted().toList()) {
      for (Path file : files(target)) {
        inputs.add(Arguments.of(target, file.getFileName().toString(), read(file)));
      }
    }
    return inputs.stream();
  }

  static Stream<Arguments> generatedInputs() {
    List<Arguments> inputs = new ArrayList<>();
    for (String target : TARGETS.keySet().stream().sorted().toList()) {
      List<byte[]> seeds = files(target).stream().map(FuzzRegressionTest::read).toList();
      Random random = new Random(target.hashCode());
      for (int i = 0; i < MUTANTS; i++) {
        byte[] mutant = mutate(seeds.get(random.nextInt(seeds.size())), random);
        inputs.add(Arguments.of(target, "mutant " + i, mutant));
      }
    }
    return inputs.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("committedInputs")
  void aCommittedInputLetsOnlyTheDocumentedRejectionsOut(String target, String name, byte[] in) {
    assertThatCode(() -> TARGETS.get(target).accept(in)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("generatedInputs")
  void aGeneratedInputLetsOnlyTheDocumentedRejectionsOut(String target, String name, byte[] in) {
    assertThatCode(() -> TARGETS.get(target).accept(in)).doesNotThrowAnyException();
  }

  @org.junit.jupiter.api.Test
  void everyTargetHasCommittedInputs() {
    assertThat(TARGETS.keySet()).allSatisfy(target -> assertThat(files(target)).isNotEmpty());
  }

  // Byte flips, insertions, deletions, duplicated slices and interesting values, as fuzzers do.
  private static byte[] mutate(byte[] seed, Random random) {
    List<Byte> bytes = new ArrayList<>(seed.length + 16);
    for (byte b : seed) {
      bytes.add(b);
    }
    int edits = 1 + random.nextInt(8);
    for (int e = 0; e < edits; e++) {
      int at = bytes.isEmpty() ? 0 : random.nextInt(bytes.size());
      switch (random.nextInt(5)) {
        case 0 -> {
          if (!bytes.isEmpty()) {
            bytes.set(at, (byte) (bytes.get(at) ^ (1 << random.nextInt(8))));
          }
        }
        case 1 -> bytes.add(at, (byte) random.nextInt(256));
        case 2 -> {
          if (!bytes.isEmpty()) {
            bytes.remove(at);
          }
        }
        case 3 -> {
          int len = Math.min(bytes.size() - at, 1 + random.nextInt(16));
          bytes.addAll(at, new ArrayList<>(bytes.subList(at, at + len)));
        }
        default -> {
          byte[] interesting = {0, (byte) 0xFF, 0x7F, (byte) 0x80, '"', ',', '\n', '\r', '@', '%'};
          if (!bytes.isEmpty()) {
            bytes.set(at, interesting[random.nextInt(interesting.length)]);
          }
        }
      }
    }
    byte[] out = new byte[bytes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.get(i);
    }
    return out;
  }

  private static List<Path> files(String target) {
    try (Stream<Path> files = Files.list(directory(target))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path directory(String target) {
    try {
      return Path.of(FuzzRegressionTest.class.getResource("/fuzz/" + target).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
