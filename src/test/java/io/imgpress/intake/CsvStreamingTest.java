package io.imgpress.intake;

import static io.imgpress.intake.CsvFixtures.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Network streams hand out bytes in arbitrary pieces; none of that may change the result. */
class CsvStreamingTest {

  @Test
  void sameResultWhenBytesArriveOneAtATime() {
    String csv =
        "\uFEFF"
            + HEADER
            + "1,\"Café \"\"☕\"\"\r\n🍰\",\"http://a.jpg,\r\nhttp://b.jpg\"\r\n"
            + "2,Ü,http://c.jpg\r";
    byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
    var parser = new CsvParser(IntakeProperties.defaults());

    List<ParsedRow> whole = parser.parse(new ByteArrayInputStream(bytes));
    List<ParsedRow> trickled = parser.parse(new OneByteAtATime(new ByteArrayInputStream(bytes)));

    assertThat(trickled).isEqualTo(whole);
    assertThat(whole)
        .containsExactly(
            new ParsedRow(2, 1, "Café \"☕\"\n🍰", List.of("http://a.jpg", "http://b.jpg")),
            new ParsedRow(5, 2, "Ü", List.of("http://c.jpg")));
  }

  @Test
  void multiByteCharactersAcrossBufferBoundariesSurvive() {
    // 3-byte characters over several 8 KB buffers, each name as long as a name may be.
    String name = "€".repeat(2000);
    var csv = new StringBuilder(HEADER);
    for (int i = 1; i <= 10; i++) {
      csv.append(i).append(',').append(name).append(",http://a.jpg\n");
    }

    assertThat(CsvFixtures.parse(csv.toString()))
        .hasSize(10)
        .allSatisfy(row -> assertThat(row.productName()).isEqualTo(name));
  }

  @Test
  void leavesTheStreamOpenForItsOwner() {
    var closed = new boolean[1];
    var in =
        new ByteArrayInputStream((HEADER + "1,A,http://a.jpg\n").getBytes(StandardCharsets.UTF_8)) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };

    new CsvParser(IntakeProperties.defaults()).parse(in);

    assertThat(closed[0]).isFalse();
  }

  private static final class OneByteAtATime extends FilterInputStream {

    OneByteAtATime(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return super.read(buffer, offset, Math.min(length, 1));
    }
  }
}
