package io.leadflow.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadflow.capture.WebFormProperties.WebForm;
import io.leadflow.web.TooManyRequestsException;

class WebFormRateLimitsTest {

    long now = 0;
    final WebFormRateLimits limits = new WebFormRateLimits(() -> now);

    static WebForm form(int perMinute, int perClient) {
        return new WebForm(Map.of(), null, null, List.of(), perMinute, perClient);
    }

    @Test
    void oneAddress_isHeldToItsShare_whileOtherAddressesGoOn() {
        WebForm form = form(100, 3);
        for (int i = 0; i < 3; i++) {
            limits.take("contact", form, "203.0.113.7");
        }

        TooManyRequestsException refused = catchThrowableOfType(TooManyRequestsException.class,
                () -> limits.take("contact", form, "203.0.113.7"));

        assertThat(refused.retryAfterSeconds()).isBetween(1L, 20L);
        limits.take("contact", form, "198.51.100.1");
        limits.take("other-form", form, "203.0.113.7");
    }

    @Test
    void manyAddresses_togetherMeetTheFormsLimit_andARefusalCostsTheAddressNothing() {
        WebForm form = form(5, 2);
        for (int i = 0; i < 5; i++) {
            limits.take("contact", form, "192.0.2." + i);
        }

        assertThatThrownBy(() -> limits.take("contact", form, "192.0.2.100"))
                .isInstanceOf(TooManyRequestsException.class)
                .hasMessageStartingWith("This web form takes 5 submissions per minute; nothing was stored");
        // 24 s later the form has room for two again (5 a minute), and the refused address still has both its
        // submissions: had the refusal cost it one, it would have 1.8 of its 2 (2 a minute) and the second would fail
        now += 24_000_000_000L;
        limits.take("contact", form, "192.0.2.100");
        limits.take("contact", form, "192.0.2.100");
        assertThat(catchThrowableOfType(TooManyRequestsException.class, () -> limits.take("contact", form, "192.0.2.100"))
                .getMessage()).startsWith("This web form takes 2 submissions per minute from one address");
    }

    @Test
    void anAddressHeldBack_mayGoOnAtItsSteadyRate() {
        WebForm form = form(100, 2);
        limits.take("contact", form, "203.0.113.9");
        limits.take("contact", form, "203.0.113.9");
        assertThatThrownBy(() -> limits.take("contact", form, "203.0.113.9")).isInstanceOf(TooManyRequestsException.class);

        now += 30_000_000_000L; // half a minute: one submission of two a minute

        limits.take("contact", form, "203.0.113.9");
        assertThatThrownBy(() -> limits.take("contact", form, "203.0.113.9")).isInstanceOf(TooManyRequestsException.class);
    }

    @Test
    void aLimitBelowOne_isRefusedAtStartUp() {
        assertThatThrownBy(() -> form(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requests-per-minute");
    }
}
