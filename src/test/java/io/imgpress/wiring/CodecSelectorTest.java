package io.imgpress.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.CodecEngine;
import io.imgpress.processing.CodecProperties;
import io.imgpress.processing.CodecProperties.Engine;
import io.imgpress.processing.imageio.ImageIoCodec;
import io.imgpress.processing.vips.VipsCodec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class CodecSelectorTest {

  private static final CodecSelector WITHOUT_LIBVIPS =
      new CodecSelector(() -> "libvips.so.42 not found");

  private static CodecProperties properties(Engine engine) {
    return new CodecProperties(engine, true, 100_000_000);
  }

  @Test
  void autoFallsBackToPortableWithOneWarningSayingHowToInstallAndWhatItGains(
      CapturedOutput output) {
    CodecEngine engine = WITHOUT_LIBVIPS.select(properties(Engine.AUTO));
    assertThat(engine.name()).isEqualTo("portable");
    assertThat(engine.codec()).isInstanceOf(ImageIoCodec.class);
    assertThat(engine.version()).isEqualTo(System.getProperty("java.version"));
    assertThat(engine.engines()).containsOnlyKeys("portable");
    // The figures are README's (Codec engines): 12 MP on 2 cores.
    assertThat(output.getAll().lines().filter(l -> l.contains("WARN")))
        .singleElement()
        .asString()
        .contains(
            "libvips.so.42 not found",
            "apt-get install libvips42",
            "JPEG about 5x",
            "PNG and EXIF-rotated JPEG about 2x");
  }

  @Test
  void nativeRefusesToStartWithoutLibvips() {
    assertThatThrownBy(() -> WITHOUT_LIBVIPS.select(properties(Engine.NATIVE)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("imgpress.codec.engine=native")
        .hasMessageContaining("libvips.so.42 not found")
        .hasMessageContaining("apt-get install libvips42");
  }

  @Test
  void portableIsPortableEvenWithLibvips(CapturedOutput output) {
    CodecEngine engine =
        new CodecSelector(CodecSelector.LIBVIPS).select(properties(Engine.PORTABLE));
    assertThat(engine.name()).isEqualTo("portable");
    assertThat(engine.codec()).isInstanceOf(ImageIoCodec.class);
    assertThat(output.getAll()).doesNotContain("WARN");
  }

  @Test
  void autoAndNativeUseLibvipsWhereItLoads() {
    Assumptions.assumeTrue(VipsCodec.isAvailable(), "libvips42 not installed");
    for (Engine wanted : new Engine[] {Engine.AUTO, Engine.NATIVE}) {
      CodecEngine engine = new CodecSelector(CodecSelector.LIBVIPS).select(properties(wanted));
      assertThat(engine.name()).isEqualTo("native");
      assertThat(engine.codec()).isInstanceOf(VipsCodec.class);
      assertThat(engine.version()).matches("8\\.\\d+\\.\\d+");
      // The native engine hands BMP and small images to the portable one: both are in use.
      assertThat(engine.engines()).containsOnlyKeys("native", "portable");
      assertThat(engine.engines().get("native")).isSameAs(engine.codec());
      assertThat(engine.engines().get("portable")).isInstanceOf(ImageIoCodec.class);
    }
  }
}
