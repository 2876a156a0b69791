package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.CodecProperties.Engine;
import java.util.List;
import java.util.Map;
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
  void tellsTheEngineAndItsVersionInTheInfoEndpoint() {
    Info.Builder info = new Info.Builder();
    configuration.codecInfo(engine).contribute(info);

    assertThat(info.build().getDetails())
        .containsEntry(
            "codec",
            Map.of(
                "engine",
                "native",
                "version",
                "8.14.1",
                "writes",
                Map.of("native", List.of("jpeg"))));
  }
}
