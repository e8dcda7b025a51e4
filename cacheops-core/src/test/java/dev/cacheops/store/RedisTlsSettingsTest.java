package dev.cacheops.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trusted-CA setting fails at build time, naming itself, when it cannot work. */
class RedisTlsSettingsTest {

    @Test
    void trustedCaNeedsARedissUri() {
        assertThatThrownBy(() -> RedisStore.builder("redis://127.0.0.1:1").trustedCa(Path.of("ca.pem")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustedCa")
                .hasMessageContaining("rediss://");
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> RedisStore.builder("rediss://127.0.0.1:1").trustedCa(missing).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustedCa")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void fileWithoutCertificateIsNamed(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertThatThrownBy(() -> RedisStore.builder("rediss://127.0.0.1:1").trustedCa(empty).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustedCa")
                .hasMessageContaining(empty.toString());
    }
}
