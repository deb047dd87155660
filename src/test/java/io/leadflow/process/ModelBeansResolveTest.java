package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import io.leadflow.SpringIntegrationTest;

/**
 * Every bean name the models use exists in the application (read from the models themselves), and so
 * does every bean the hand-wired process tests provide, so those tests match production.
 */
class ModelBeansResolveTest extends SpringIntegrationTest {

    @Autowired
    ApplicationContext context;

    @Test
    void everyBeanTheModelsNameExistsInTheApplication() throws Exception {
        for (String bean : ProcessTestEngine.beanNames()) {
            assertThat(context.containsBean(bean)).as(bean).isTrue();
        }
        Set<String> named = beansNamedIn(Path.of("processes"));
        assertThat(named).as("read from the models").contains("leadTaskListener", "sla", "leadStages", "notifications");
        for (String bean : named) {
            assertThat(context.containsBean(bean)).as("bean %s, named in a model", bean).isTrue();
        }
    }

    /**
     * The beans the models name: every delegate expression (service tasks and listeners, {@code ${name}}),
     * and every object an expression calls a method on ({@code ${sla.deadline(...)}}), but the engine's own
     * {@code execution} and {@code task}.
     */
    static Set<String> beansNamedIn(Path models) throws IOException {
        Pattern delegate = Pattern.compile("delegateExpression=\"\\$\\{([A-Za-z][A-Za-z0-9]*)}\"");
        Pattern call = Pattern.compile("\\b([a-z][A-Za-z0-9]*)\\.[A-Za-z]+\\(");
        Set<String> beans = new TreeSet<>();
        try (Stream<Path> files = Files.list(models)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".bpmn")).toList()) {
                String xml = Files.readString(file);
                delegate.matcher(xml).results().forEach(m -> beans.add(m.group(1)));
                Matcher expressions = Pattern.compile("\\$\\{([^}]*)}").matcher(xml);
                while (expressions.find()) {
                    call.matcher(expressions.group(1)).results().map(m -> m.group(1))
                            .filter(root -> !root.equals("execution") && !root.equals("task")).forEach(beans::add);
                }
            }
        }
        return beans;
    }
}
