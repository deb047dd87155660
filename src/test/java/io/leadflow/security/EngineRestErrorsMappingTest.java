package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.junit.jupiter.api.Test;

import jakarta.ws.rs.container.ContainerResponseContext;

/**
 * The engine REST answers {@link EngineRestErrors} rewrites, one by one: a lost optimistic lock (the
 * engine's exception code 1: two tabs, a claim race) is a 409 saying the view is out of date; an
 * engine failure of another kind stays the 500 it is. (The reassignment refusal and the form step's 400
 * are shown over HTTP: {@code ReassignWhileCompletingTest}, {@code EngineRestErrorsTest}.)
 */
class EngineRestErrorsMappingTest {

    @Test
    void aLostOptimisticLock_isA409SayingTheViewIsOutOfDate_otherFailuresStay500() {
        ExceptionDto lostRace = error(1, "ENGINE-03005 Execution of 'UPDATE TaskEntity[1061]' failed. Entity was updated by another transaction concurrently.");
        assertThat(filtered(lostRace)).isEqualTo(409);
        assertThat(lostRace.getMessage()).isEqualTo(EngineRestErrors.CHANGED_MEANWHILE);
        assertThat(lostRace.getType()).isEqualTo("Conflict");

        ExceptionDto broken = error(0, "ENGINE-16004 something else");
        assertThat(filtered(broken)).isEqualTo(500);
        assertThat(broken.getMessage()).isEqualTo("ENGINE-16004 something else");
    }

    static ExceptionDto error(int code, String message) {
        ExceptionDto dto = new ExceptionDto();
        dto.setType("RestException");
        dto.setCode(code);
        dto.setMessage(message);
        return dto;
    }

    /** The status after the filter, for a 500 answer carrying this error. */
    static int filtered(ExceptionDto error) {
        AtomicInteger status = new AtomicInteger(500);
        ContainerResponseContext response = (ContainerResponseContext) Proxy.newProxyInstance(
                EngineRestErrorsMappingTest.class.getClassLoader(), new Class<?>[] {ContainerResponseContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getStatus" -> status.get();
                    case "setStatus" -> {
                        status.set((Integer) args[0]);
                        yield null;
                    }
                    case "getEntity" -> error;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        new EngineRestErrors().filter(null, response);
        return status.get();
    }
}
