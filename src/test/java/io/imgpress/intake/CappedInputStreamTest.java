package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class CappedInputStreamTest {

  @Test
  void singleByteReadsGiveUnsignedValuesThenEndOfStream() throws IOException {
    var in = new CappedInputStream(new ByteArrayInputStream(new byte[] {0, 65, (byte) 0xFF}), 10);

    assertThat(in.read()).isZero();
    assertThat(in.read()).isEqualTo(65);
    assertThat(in.read()).isEqualTo(255);
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void readsAnInputOfExactlyTheCap() throws IOException {
    var in = new CappedInputStream(new ByteArrayInputStream(new byte[100]), 100);

    assertThat(in.readAllBytes()).hasSize(100);
  }

  @Test
  void failsOnTheFirstByteOverTheCapWithoutReadingFurther() {
    var source = new CountingStream(1_000_000);
    var in = new CappedInputStream(source, 100);

    assertThatThrownBy(in::readAllBytes).isInstanceOf(InputTooLargeException.class);
    assertThat(source.read).isEqualTo(101);
  }

  @Test
  void failsOnTheFirstByteOverTheCapReadOneAtATime() throws IOException {
    var in = new CappedInputStream(new ByteArrayInputStream(new byte[3]), 2);
    in.read();
    in.read();

    assertThatThrownBy(in::read).isInstanceOf(InputTooLargeException.class);
  }

  @Test
  void anEmptyReadReadsNothing() throws IOException {
    var source = new CountingStream(10);
    var in = new CappedInputStream(source, 5);

    assertThat(in.read(new byte[4], 0, 0)).isZero();
    assertThat(source.read).isZero();
  }

  @Test
  void aHugeCapDoesNotOverflow() throws IOException {
    var in = new CappedInputStream(new ByteArrayInputStream(new byte[10]), Long.MAX_VALUE);

    assertThat(in.readAllBytes()).hasSize(10);
  }

  /** A stream of zeros that counts the bytes it handed out. */
  private static final class CountingStream extends InputStream {
    private final long length;
    long read;

    CountingStream(long length) {
      this.length = length;
    }

    @Override
    public int read() {
      if (read == length) {
        return -1;
      }
      read++;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (read == length) {
        return -1;
      }
      int n = (int) Math.min(len, length - read);
      read += n;
      return n;
    }
  }
}
