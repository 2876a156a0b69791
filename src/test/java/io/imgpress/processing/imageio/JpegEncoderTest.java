package io.imgpress.processing.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.CodecImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;

class JpegEncoderTest {

  private static final BufferedImage PHOTO = CodecImages.photoLike(96, 64);

  @Test
  void writesADecodableJpegOfTheSameSize() throws Exception {
    byte[] jpeg = JpegEncoder.encode(PHOTO, 85);
    assertThat(jpeg).startsWith(0xFF, 0xD8, 0xFF);
    BufferedImage back = CodecImages.decode(jpeg);
    assertThat(back.getWidth()).isEqualTo(96);
    assertThat(back.getHeight()).isEqualTo(64);
  }

  @Test
  void lowerQualityGivesSmallerFiles() throws Exception {
    int q30 = JpegEncoder.encode(PHOTO, 30).length;
    int q60 = JpegEncoder.encode(PHOTO, 60).length;
    int q95 = JpegEncoder.encode(PHOTO, 95).length;
    assertThat(q30).isLessThan(q60);
    assertThat(q60).isLessThan(q95);
  }

  @Test
  void isBaselineWithoutExifAndWithOptimisedHuffmanTables() throws Exception {
    byte[] jpeg = JpegEncoder.encode(PHOTO, 80);
    List<Integer> markers = CodecImages.markers(jpeg);
    assertThat(markers).contains(0xC0).doesNotContain(0xC2, 0xE1);
    // Same settings but the standard Huffman tables: optimising must pay off.
    assertThat(jpeg.length).isLessThan(standardTables(PHOTO, 0.80f).length);
  }

  @Test
  void subsamplesChromaFourTwoZero() throws Exception {
    byte[] jpeg = JpegEncoder.encode(PHOTO, 80);
    ImageReader reader = jdkReader();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      reader.setInput(in);
      IIOMetadataNode root =
          (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
      NodeList components = root.getElementsByTagName("componentSpec");
      assertThat(components.getLength()).isEqualTo(3);
      assertThat(sampling(components, 0)).isEqualTo("2x2");
      assertThat(sampling(components, 1)).isEqualTo("1x1");
      assertThat(sampling(components, 2)).isEqualTo("1x1");
    } finally {
      reader.dispose();
    }
  }

  @Test
  void acceptsThreeByteBgr() throws Exception {
    BufferedImage bgr = new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR);
    assertThat(CodecImages.decode(JpegEncoder.encode(bgr, 50)).getWidth()).isEqualTo(8);
  }

  @Test
  void refusesAlphaAndBadQuality() {
    BufferedImage argb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
    assertThatThrownBy(() -> JpegEncoder.encode(argb, 80))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JpegEncoder.encode(PHOTO, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JpegEncoder.encode(PHOTO, 101))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String sampling(NodeList components, int i) {
    IIOMetadataNode c = (IIOMetadataNode) components.item(i);
    return c.getAttribute("HsamplingFactor") + "x" + c.getAttribute("VsamplingFactor");
  }

  private static byte[] standardTables(BufferedImage image, float quality) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static ImageReader jdkReader() {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      if (reader.getClass().getName().startsWith("com.sun.")) {
        return reader;
      }
    }
    throw new IllegalStateException("JDK JPEG reader missing");
  }
}
