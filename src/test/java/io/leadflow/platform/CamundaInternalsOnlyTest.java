package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The app uses the public Camunda engine API only, except in {@link CamundaInternals}: no other file
 * under {@code src/main/java} imports or names a Camunda internal package (any with {@code impl} in
 * its name, the Scala library Camunda shades as {@code camundajar.impl} too), in an import, in code,
 * in a string or in a comment. Tests may use internals.
 */
class CamundaInternalsOnlyTest {

    static final Path SOURCES = Path.of("src", "main", "java");
    static final Path WRAPPER = SOURCES.resolve(Path.of("io", "leadflow", "platform", "CamundaInternals.java"));
    static final Pattern INTERNAL = Pattern.compile("(org\\.camunda|camundajar)\\S*\\.impl\\.");

    @Test
    void noFileButCamundaInternals_importsOrNamesACamundaInternalPackage() throws IOException {
        assertThat(WRAPPER).as("the one file allowed to use Camunda's internals").isRegularFile();

        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
        List<String> uses = new ArrayList<>();
        for (Path file : files) {
            if (file.equals(WRAPPER)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (INTERNAL.matcher(lines.get(i)).find()) {
                    uses.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }

        assertThat(files).as("Java files under " + SOURCES).hasSizeGreaterThan(100);
        assertThat(uses).as("Camunda internals outside %s (move them into it)", WRAPPER).isEmpty();
    }

    @Test
    void thePattern_findsEveryKindOfInternalPackage_andNoPublicOne() {
        assertThat(List.of(
                "import org.camunda.bpm.engine.impl.util.ClockUtil;",
                "import static org.camunda.bpm.engine.impl.util.ClockUtil.reset;",
                "import org.camunda.bpm.engine.impl.cfg.*;",
                "import org.camunda.bpm.dmn.feel.impl.scala.ScalaFeelEngine;",
                "import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;",
                "import org.camunda.bpm.webapp.impl.security.auth.Authentications;",
                "import org.camunda.feel.impl.interpreter.EvalContext;",
                "import camundajar.impl.scala.util.Either;",
                "(org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl) configuration",
                "\"org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider\""))
                .allMatch(line -> INTERNAL.matcher(line).find());
        assertThat(List.of(
                "import org.camunda.bpm.engine.ProcessEngine;",
                "import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;",
                "import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;",
                "import com.fasterxml.uuid.impl.TimeBasedGenerator;",
                "import io.leadflow.platform.CamundaInternals.CachingFeelEngine;"))
                .noneMatch(line -> INTERNAL.matcher(line).find());
    }
}
