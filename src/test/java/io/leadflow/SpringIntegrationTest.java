package io.leadflow;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The single Spring context of the test suite (a second engine in one JVM needs unique names, and
 * every context costs seconds): every HTTP and wiring test extends this and nothing else.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class SpringIntegrationTest {
}
