package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.CodecProperties.Engine;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;

class CodecConfigurationTest {

  private final CodecConfiguration configuration = new CodecConfiguration();
  private final Codec codec =
      new Codec() {
        @Override
        public ImageInfo probe(byte[] source, ImageFormat format) {
          throw new UnsupportedOperationException();
        }

        @Override
        public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
          throw new UnsupportedOperationException();
        }
      };
  private final CodecEngine engine = new CodecEngine("native", "8.14.1", codec);

  @Test
  void theApplicationsCodecIsTheEnginesOwn() {
    assertThat(configuration.codec(engine)).isSameAs(codec);
  }

  @Test
  void aConfiguredPixelBudgetIsTakenAsItIs() {
    PixelBudget budget =
        configuration.pixelBudget(new CodecProperties(Engine.AUTO, true, 1), engine);

    assertThat(budget.available()).isEqualTo(1);
  }

  @Test
  void noConfiguredPixelBudgetSizesItToTheEngine() {
    PixelBudget budget =
        configuration.pixelBudget(new CodecProperties(Engine.AUTO, true, 0), engine);

    assertThat(budget.available()).isEqualTo((int) PixelBudget.NATIVE_AUTO);
  }

  @Test
  void tellsTheEngineItsVersionAndWhatEachEngineReadsAndWritesInTheInfoEndpoint() {
    Codec portable =
        new Codec() {
          @Override
          public Set<ImageFormat> decodes() {
            return EnumSet.of(ImageFormat.TIFF, ImageFormat.JPEG, ImageFormat.PNG);
          }

          @Override
          public ImageInfo probe(byte[] source, ImageFormat format) {
            throw new UnsupportedOperationException();
          }

          @Override
          public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
            throw new UnsupportedOperationException();
          }
        };
    CodecEngine both =
        new CodecEngine("native", "8.14.1", codec, Map.of("native", codec, "portable", portable));
    Info.Builder info = new Info.Builder();
    configuration.codecInfo(both).contribute(info);

    List<String> all =
        List.of("jpeg", "png", "gif", "bmp", "webp", "heif", "avif", "tiff", "jxl", "jp2");
    assertThat(info.build().getDetails())
        .containsEntry(
            "codec",
            Map.of(
                "engine",
                "native",
                "version",
                "8.14.1",
                "reads",
                Map.of("native", all, "portable", List.of("jpeg", "png", "tiff")),
                "writes",
                Map.of("native", List.of("jpeg"), "portable", List.of("jpeg"))));
  }

  @Test
  void anEngineAloneIsTheOnlyOneListed() {
    Info.Builder info = new Info.Builder();
    configuration.codecInfo(engine).contribute(info);

    assertThat(info.build().getDetails().get("codec"))
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("engine", "native")
        .containsEntry(
            "reads",
            Map.of(
                "native",
                List.of("jpeg", "png", "gif", "bmp", "webp", "heif", "avif", "tiff", "jxl", "jp2")))
        .containsEntry("writes", Map.of("native", List.of("jpeg")));
  }

  @Test
  void theEnginesMustIncludeTheChosenOne() {
    assertThatThrownBy(() -> new CodecEngine("native", "8.14.1", codec, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
