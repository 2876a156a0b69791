package io.imgpress.processing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which codec engine runs and how.
 *
 * @param engine {@code auto} (native when libvips loads, else portable), {@code native} (refuse to
 *     start without libvips) or {@code portable} (pure Java)
 * @param optimizeCoding optimal Huffman tables in the output: a few per cent smaller, a little
 *     slower
 * @param pixelBudget most decoded pixels in flight across all workers; an image larger than the
 *     whole budget still runs, alone. 0 sizes it to the engine (see {@link PixelBudget#auto})
 */
@Validated
@ConfigurationProperties("imgpress.codec")
public record CodecProperties(
    @NotNull @DefaultValue("auto") Engine engine,
    @DefaultValue("true") boolean optimizeCoding,
    @Min(0) @Max(Integer.MAX_VALUE) @DefaultValue("0") long pixelBudget) {

  public enum Engine {
    AUTO,
    NATIVE,
    PORTABLE
  }
}
