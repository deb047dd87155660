package io.leadflow.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.mail.MailProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * A mail server that takes the connection and never greets (overloaded, or a firewall swallowing the
 * packets) fails a send after the timeouts of {@code application.yaml} instead of holding the job
 * thread forever, as JavaMail's defaults did: then every job thread hung in a mail and no SLA timer fired.
 */
class MailTimeoutsTest {

    @Test
    void aMailServerThatNeverAnswers_failsTheSend_insteadOfHoldingTheThread() throws Exception {
        try (ServerSocket tarpit = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!tarpit.isClosed()) {
                    try {
                        held.add(tarpit.accept()); // taken, never answered
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            JavaMailSenderImpl sender = new JavaMailSenderImpl();
            sender.setHost("127.0.0.1");
            sender.setPort(tarpit.getLocalPort());
            Properties properties = new Properties();
            properties.putAll(shippedMailProperties());
            sender.setJavaMailProperties(properties);
            SimpleMailMessage mail = new SimpleMailMessage();
            mail.setFrom("leadflow@leadflow.example");
            mail.setTo("sam@leadflow.example");
            mail.setSubject("SLA breach");
            mail.setText("L-2026-000001");

            assertThat(shippedMailProperties()).containsKeys("mail.smtp.connectiontimeout", "mail.smtp.timeout", "mail.smtp.writetimeout");
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> sender.send(mail))
                    .isInstanceOf(MailException.class));
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    static java.util.Map<String, String> shippedMailProperties() throws Exception {
        var sources = new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"));
        return new Binder(ConfigurationPropertySources.from(sources)).bind("spring.mail", MailProperties.class).get().getProperties();
    }
}
