package io.imgpress.db;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.ImgpressProperties.Store;
import org.junit.jupiter.api.Test;

class StoreDatabaseCheckTest {

  @Test
  void postgresWithTheDefaultH2UrlStopsTheStartSayingWhatToSet() {
    assertThatThrownBy(
            () -> StoreDatabaseCheck.check(Store.POSTGRES, "jdbc:h2:file:/data/imgpress;X=1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("imgpress.store=postgres")
        .hasMessageContaining("jdbc:postgresql:")
        .hasMessageContaining("SPRING_DATASOURCE_PASSWORD");
  }

  @Test
  void h2WithAPostgresUrlStopsTheStart() {
    assertThatThrownBy(() -> StoreDatabaseCheck.check(Store.H2, "jdbc:postgresql://db:5432/x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("imgpress.store=h2")
        .hasMessageContaining("imgpress.store=postgres");
  }

  @Test
  void aMissingUrlStopsTheStart() {
    assertThatThrownBy(() -> StoreDatabaseCheck.check(Store.POSTGRES, null))
        .hasMessageContaining("not set");
  }

  @Test
  void theMessageLeavesOutTheUrlsQueryWhereAPasswordMayBe() {
    assertThatThrownBy(
            () -> StoreDatabaseCheck.check(Store.H2, "jdbc:postgresql://db/x?password=secret"))
        .hasMessageNotContaining("secret");
  }

  @Test
  void matchingStoresAndUrlsPass() {
    assertThatCode(() -> StoreDatabaseCheck.check(Store.H2, "jdbc:h2:mem:x"))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> StoreDatabaseCheck.check(Store.POSTGRES, "jdbc:postgresql://db:5432/imgpress"))
        .doesNotThrowAnyException();
  }

  @Test
  void aWrappingDriverThatNamesTheDatabasePasses() {
    assertThatCode(
            () -> StoreDatabaseCheck.check(Store.POSTGRES, "jdbc:p6spy:postgresql://db:5432/x"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> StoreDatabaseCheck.check(Store.H2, "jdbc:p6spy:postgresql://db/x"))
        .isInstanceOf(IllegalStateException.class);
  }
}
