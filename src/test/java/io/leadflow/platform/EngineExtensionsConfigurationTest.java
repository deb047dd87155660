package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.leadflow.SpringIntegrationTest;

/**
 * The app's engine makes its ids with {@link NodeUniqueIds} (through
 * {@link CamundaInternals.NodeUniqueIdGenerator}), records history at leadflow's level and checks the
 * ids it inserts with {@link CamundaInternals.IdCheckWithoutToString}, and checks authorizations without
 * scanning the authorization table for group ids ({@link CamundaInternals.AuthorizationsWithoutGroupScan}).
 */
class EngineExtensionsConfigurationTest extends SpringIntegrationTest {

    @Autowired
    ProcessEngine engine;

    @Test
    void theAppsEngine_usesNodeUniqueIds_theHistoryLevelWithoutVariableDetails_theIdCheckWithoutToString_andNoGroupScan() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();

        assertThat(configuration.getIdGenerator()).isInstanceOf(CamundaInternals.NodeUniqueIdGenerator.class);
        assertThat(engine.getManagementService().getHistoryLevel()).isEqualTo(HistoryWithoutVariableDetails.ID);
        assertThat(configuration.getSessionFactories().get(org.camunda.bpm.engine.impl.db.entitymanager.DbEntityManager.class))
                .isInstanceOf(CamundaInternals.IdCheckWithoutToString.Factory.class);
        assertThat(configuration.getSessionFactories().get(
                org.camunda.bpm.engine.impl.persistence.entity.AuthorizationManager.class))
                .isInstanceOf(CamundaInternals.AuthorizationsWithoutGroupScan.Factory.class);
        Object opened = configuration.getCommandExecutorTxRequired().execute(context -> context.getAuthorizationManager());
        assertThat(opened).isInstanceOf(CamundaInternals.AuthorizationsWithoutGroupScan.Manager.class);
    }

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void theJobThreadsPool_isTheOneThatFinishesItsQueueOnStop() {
        assertThat(context.getBean(GracefulStop.FinishQueuedJobs.EXECUTOR))
                .as("the bean the post-processor looks for, by name").isInstanceOf(org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor.class);
        assertThat(context.getBeansOfType(GracefulStop.FinishQueuedJobs.class)).hasSize(1);
        assertThat(((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor().getRejectedJobsHandler())
                .as("jobs the full pool turns away run in the acquisition thread, never kept locked")
                .isInstanceOf(org.camunda.bpm.engine.impl.jobexecutor.CallerRunsRejectedJobsHandler.class);
    }

    @Test
    void theGroupScan_isSkippedByDefault_andTheEnginesOwnCanBeKept() {
        ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(EngineExtensionsConfiguration.class);

        runner.run(context -> assertThat(context).hasSingleBean(CamundaInternals.AuthorizationsWithoutGroupScan.Plugin.class));
        runner.withPropertyValues("leadflow.authorizations.skip-group-scan=false")
                .run(context -> assertThat(context).doesNotHaveBean(CamundaInternals.AuthorizationsWithoutGroupScan.Plugin.class)
                        .hasSingleBean(CamundaInternals.IdCheckWithoutToString.Plugin.class));
    }
}
