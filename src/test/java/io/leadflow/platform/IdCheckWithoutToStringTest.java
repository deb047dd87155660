package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.db.DbEntity;
import org.camunda.bpm.engine.impl.db.entitymanager.DbEntityManager;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;

import io.leadflow.platform.CamundaInternals.IdCheckWithoutToString;

/**
 * The id check of every insert: the same outcome as the engine's own, without describing the entity
 * (its {@code toString()}) when the id is valid.
 */
class IdCheckWithoutToStringTest {

    @Test
    void aValidId_isAccepted_withoutDescribingTheEntity_whereTheEnginesOwnCheckDescribesEveryOne() {
        Entity entity = new Entity("8f1c2b4e-0000-11f0-9b39-02fc00000001");

        new IdCheckWithoutToString.Manager(null, null).validateId(entity);
        assertThat(entity.described).as("toString() calls by our check").hasValue(0);

        new EnginesOwn().check(entity);
        assertThat(entity.described).as("toString() calls by the engine's check").hasValue(1);
    }

    @Test
    void aMissingOrReservedId_isRefused_withTheEnginesOwnExceptionAndMessage() {
        for (String id : new String[] {null, "*"}) {
            Entity entity = new Entity(id);
            String enginesMessage = catchMessage(() -> new EnginesOwn().check(entity));

            assertThatThrownBy(() -> new IdCheckWithoutToString.Manager(null, null).validateId(entity))
                    .isExactlyInstanceOf(ProcessEngineException.class)
                    .hasMessage(enginesMessage);
            assertThat(enginesMessage).contains("Entity entity " + id, "has an invalid id");
        }
    }

    @Test
    void anEngineWithIt_opensItsManager_andStoresWhatItInserts() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneInMemProcessEngineConfiguration()
                .setProcessEngineName("id-check-" + UUID.randomUUID())
                .setJdbcUrl("jdbc:h2:mem:id-check-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setJobExecutorActivate(false)
                .setHistory(ProcessEngineConfiguration.HISTORY_FULL);
        IdCheckWithoutToString.register(configuration);
        ProcessEngine engine = configuration.buildProcessEngine();
        try {
            assertThat(configuration.getSessionFactories().get(DbEntityManager.class))
                    .isInstanceOf(IdCheckWithoutToString.Factory.class);
            DbEntityManager opened = configuration.getCommandExecutorTxRequired()
                    .execute(context -> context.getDbEntityManager());
            assertThat(opened).isInstanceOf(IdCheckWithoutToString.Manager.class);

            engine.getRepositoryService().createDeployment().addModelInstance("probe.bpmn", Bpmn.createExecutableProcess("probe")
                    .camundaHistoryTimeToLive(1).startEvent().userTask("work").endEvent().done()).deploy();
            String id = engine.getRuntimeService().startProcessInstanceByKey("probe", "L-2026-000001", Map.of("leadId", "lead-1"))
                    .getId();
            engine.getTaskService().complete(engine.getTaskService().createTaskQuery().processInstanceId(id).singleResult().getId());

            assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(id).finished().count())
                    .isOne();
            assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(id).singleResult()
                    .getValue()).isEqualTo("lead-1");
            assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(id).count()).isEqualTo(3);
        } finally {
            engine.close();
        }
    }

    private static String catchMessage(Runnable check) {
        try {
            check.run();
        } catch (ProcessEngineException e) {
            return e.getMessage();
        }
        throw new AssertionError("the engine's own check accepted the id");
    }

    /** The engine's own entity manager, its check made callable. */
    static final class EnginesOwn extends DbEntityManager {
        EnginesOwn() {
            super(null, null);
        }

        void check(DbEntity entity) {
            validateId(entity);
        }
    }

    /** An entity that counts how often it is described. */
    static final class Entity implements DbEntity {
        final AtomicInteger described = new AtomicInteger();
        private String id;

        Entity(String id) {
            this.id = id;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public void setId(String id) {
            this.id = id;
        }

        @Override
        public Object getPersistentState() {
            return id;
        }

        @Override
        public String toString() {
            described.incrementAndGet();
            return "entity " + id;
        }
    }
}
