package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.NestedExceptionUtils;

/**
 * A start whose store and datasource URL disagree, or whose store cannot carry its queue, stops
 * before anything connects.
 */
class StoreSelectionTest {

  @Test
  void postgresWithoutAPostgresUrlDoesNotStart(@TempDir Path dataDir) {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(ImgpressApplication.class)
            .properties(
                "imgpress.store=postgres",
                "imgpress.data-dir=" + dataDir,
                "server.port=0",
                "imgpress.processing.workers=1");

    assertThatThrownBy(() -> app.run().close())
        .satisfies(
            e ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(e))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("imgpress.store=postgres needs spring.datasource.url"));
  }

  @Test
  void mongodbWithTheDatabaseQueueDoesNotStart(@TempDir Path dataDir) {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(ImgpressApplication.class)
            .properties(
                "imgpress.store=mongodb",
                "spring.mongodb.uri=mongodb://127.0.0.1:1/imgpress",
                "imgpress.data-dir=" + dataDir,
                "server.port=0",
                "imgpress.processing.workers=1");

    assertThatThrownBy(() -> app.run().close())
        .satisfies(
            e ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(e))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("imgpress.store=mongodb has no SQL database")
                    .hasMessageContaining("set imgpress.queue=redis"));
  }
}
