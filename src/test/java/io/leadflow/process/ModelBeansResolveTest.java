package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import io.leadflow.SpringIntegrationTest;

/** Every bean name the models use exists in the application, so the hand-wired process tests match production. */
class ModelBeansResolveTest extends SpringIntegrationTest {

    @Autowired
    ApplicationContext context;

    @Test
    void everyBeanTheModelsNameExistsInTheApplication() {
        for (String bean : ProcessTestEngine.beanNames()) {
            assertThat(context.containsBean(bean)).as(bean).isTrue();
        }
    }
}
