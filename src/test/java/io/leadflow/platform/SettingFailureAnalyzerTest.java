package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** A refused setting ends a start-up with its own words, naming the key, not with the bean-creation stack trace. */
class SettingFailureAnalyzerTest {

    @Test
    void aRefusedSetting_deepInABeanCreationFailure_isTheAnalysisDescription() {
        BeanCreationException failure = new BeanCreationException("notificationBatches", "Error creating bean",
                new IllegalArgumentException("leadflow.notifications.batch-size must be 1 to 1000, was -5"));

        FailureAnalysis analysis = new SettingFailureAnalyzer().analyze(failure);

        assertThat(analysis.getDescription()).isEqualTo("Invalid setting: leadflow.notifications.batch-size must be 1 to 1000, was -5");
        assertThat(analysis.getAction()).startsWith("Correct the setting named above");
        assertThat(new SettingFailureAnalyzer().analyze(new BeanCreationException("x", new IllegalArgumentException("other"))))
                .as("not a setting of ours: Spring's own report").isNull();
        assertThat(SpringFactoriesLoader.loadFactoryNames(FailureAnalyzer.class, getClass().getClassLoader()))
                .as("registered for Spring Boot's start-up report").contains(SettingFailureAnalyzer.class.getName());
    }

    @Test
    void anIntervalIsReadAsSpringReadsIt_andRefusedNamingItsKey_whenItIsNoTimeOrNoneAtAll() {
        assertThat(SettingFailureAnalyzer.interval("leadflow.notifications.batch-interval", "PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(SettingFailureAnalyzer.interval("leadflow.notifications.batch-interval", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> SettingFailureAnalyzer.interval("leadflow.notifications.batch-interval", "abc"))
                .hasMessage("leadflow.notifications.batch-interval must be a time such as PT30S or 30s, was 'abc'");
        assertThatThrownBy(() -> SettingFailureAnalyzer.interval("leadflow.assignment.absence-check-interval", "-PT1S"))
                .hasMessage("leadflow.assignment.absence-check-interval must be a time longer than zero, was '-PT1S'");
    }

    @Test
    void aWebhookThatIsNoHttpAddress_orAnImportQueueOfNone_isRefusedNamingTheKey() {
        assertThatThrownBy(() -> new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(
                        java.util.Map.of("leadflow.notifications.webhook-url", "ftp://hooks.example/in")))
                .bindOrCreate("leadflow.notifications", io.leadflow.notification.NotificationProperties.class))
                .rootCause().hasMessage("leadflow.notifications.webhook-url must be an absolute http(s) address, was 'ftp://hooks.example/in'");
        assertThatThrownBy(() -> new io.leadflow.capture.LeadImportExecutorConfiguration().leadImportExecutor(0))
                .hasMessage("leadflow.imports.queue-capacity must be at least 1, was 0");
    }
}
