package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class DataDirEnvironmentTest {

  @Test
  void publishesTheDataDirAsAnAbsolutePath() {
    MockEnvironment env = new MockEnvironment().withProperty("imgpress.data-dir", "data/../x");
    new DataDirEnvironment().postProcessEnvironment(env, new SpringApplication());
    assertThat(env.getProperty(DataDirEnvironment.ABSOLUTE))
        .isEqualTo(Path.of("x").toAbsolutePath().toString());
  }

  @Test
  void defaultsToDotData() {
    MockEnvironment env = new MockEnvironment();
    new DataDirEnvironment().postProcessEnvironment(env, new SpringApplication());
    assertThat(Path.of(env.getProperty(DataDirEnvironment.ABSOLUTE)))
        .isEqualTo(Path.of("data").toAbsolutePath());
  }

  @Test
  void followsADataDirSetAfterwards() {
    MockEnvironment env = new MockEnvironment();
    new DataDirEnvironment().postProcessEnvironment(env, new SpringApplication());
    env.setProperty("imgpress.data-dir", "/tmp/later");
    assertThat(env.getProperty(DataDirEnvironment.ABSOLUTE)).isEqualTo("/tmp/later");
  }
}
