package io.imgpress;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point: CSV of product image URLs in, compressed hosted images and a result CSV out. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ImgpressApplication {

  public static void main(String[] args) {
    SpringApplication.run(ImgpressApplication.class, args);
  }
}
