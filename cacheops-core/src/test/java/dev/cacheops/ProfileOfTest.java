package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** {@link Cacheops#profileOf}: the most specific pattern wins, as it does for reads. */
class ProfileOfTest {

    @Test
    void theMostSpecificPatternApplies() {
        try (Cacheops c = Cacheops.builder().inMemory()
                .profile("*", EnumSet.of(Op.GET), Duration.ofMinutes(1))
                .profile("blog_*", EnumSet.of(Op.COUNT), Duration.ofMinutes(2))
                .profile("post", Op.ALL, Duration.ofMinutes(3))
                .profile("archive.post", EnumSet.noneOf(Op.class), Duration.ofMinutes(4))
                .disable("audit_log")
                .build()) {
            assertThat(c.profileOf("public.post")).get().extracting(Profile::pattern).isEqualTo("post");
            assertThat(c.profileOf("archive.post")).get().extracting(Profile::pattern).isEqualTo("archive.post");
            assertThat(c.profileOf("public.blog_tag")).get().extracting(Profile::pattern).isEqualTo("blog_*");
            assertThat(c.profileOf("public.other")).get().extracting(Profile::pattern).isEqualTo("*");
            assertThat(c.profileOf("public.audit_log")).get().extracting(Profile::disabled).isEqualTo(true);
            assertThat(c.profileOf("post")).get().extracting(Profile::pattern).isEqualTo("post");
        }
    }

    @Test
    void noPatternNoProfile() {
        try (Cacheops c = Cacheops.builder().inMemory().profile("post", Op.ALL, Duration.ofMinutes(3)).build()) {
            assertThat(c.profileOf("public.comment")).isEmpty();
        }
    }
}
