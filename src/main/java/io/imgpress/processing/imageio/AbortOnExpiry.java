package io.imgpress.processing.imageio;

import io.imgpress.processing.Deadline;
import java.awt.image.BufferedImage;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.event.IIOReadUpdateListener;
import javax.imageio.event.IIOWriteProgressListener;

/**
 * Aborts a reader or writer from inside its own progress callbacks (rows, and passes of a
 * progressive image) once the deadline has expired: ImageIO's native JPEG reader and writer refuse
 * abort() from any other thread. The caller checks the deadline afterwards, since an aborted read
 * returns what it decoded so far as if nothing happened.
 */
final class AbortOnExpiry
    implements IIOReadProgressListener, IIOReadUpdateListener, IIOWriteProgressListener {

  private final Runnable abort;
  private final Deadline deadline;
  private boolean aborted;

  AbortOnExpiry(Runnable abort, Deadline deadline) {
    this.abort = abort;
    this.deadline = deadline;
  }

  private void poll() {
    if (!aborted && deadline.expired()) {
      aborted = true;
      abort.run();
    }
  }

  @Override
  public void imageProgress(ImageReader source, float percentageDone) {
    poll();
  }

  @Override
  public void imageProgress(ImageWriter source, float percentageDone) {
    poll();
  }

  @Override
  public void passStarted(
      ImageReader source,
      BufferedImage theImage,
      int pass,
      int minPass,
      int maxPass,
      int minX,
      int minY,
      int periodX,
      int periodY,
      int[] bands) {
    poll();
  }

  @Override
  public void imageUpdate(
      ImageReader source,
      BufferedImage theImage,
      int minX,
      int minY,
      int width,
      int height,
      int periodX,
      int periodY,
      int[] bands) {
    poll();
  }

  @Override
  public void passComplete(ImageReader source, BufferedImage theImage) {
    poll();
  }

  @Override
  public void thumbnailPassStarted(
      ImageReader source,
      BufferedImage theThumbnail,
      int pass,
      int minPass,
      int maxPass,
      int minX,
      int minY,
      int periodX,
      int periodY,
      int[] bands) {}

  @Override
  public void thumbnailUpdate(
      ImageReader source,
      BufferedImage theThumbnail,
      int minX,
      int minY,
      int width,
      int height,
      int periodX,
      int periodY,
      int[] bands) {}

  @Override
  public void thumbnailPassComplete(ImageReader source, BufferedImage theThumbnail) {}

  @Override
  public void sequenceStarted(ImageReader source, int minIndex) {}

  @Override
  public void sequenceComplete(ImageReader source) {}

  @Override
  public void imageStarted(ImageReader source, int imageIndex) {
    poll();
  }

  @Override
  public void imageComplete(ImageReader source) {}

  @Override
  public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

  @Override
  public void thumbnailProgress(ImageReader source, float percentageDone) {}

  @Override
  public void thumbnailComplete(ImageReader source) {}

  @Override
  public void readAborted(ImageReader source) {}

  @Override
  public void imageStarted(ImageWriter source, int imageIndex) {
    poll();
  }

  @Override
  public void imageComplete(ImageWriter source) {}

  @Override
  public void thumbnailStarted(ImageWriter source, int imageIndex, int thumbnailIndex) {}

  @Override
  public void thumbnailProgress(ImageWriter source, float percentageDone) {}

  @Override
  public void thumbnailComplete(ImageWriter source) {}

  @Override
  public void writeAborted(ImageWriter source) {}
}
