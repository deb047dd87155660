package io.leadflow.platform;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Spring's scheduler for the app's periodic checks: absences that start ({@code assignment.AbsenceReroutes}),
 * the Tasklist filters' new day ({@code security.TasklistFilters}) and the heartbeat of imports with
 * the sweep of those whose node stopped ({@code capture.LeadImportHeartbeat}). Each runs on every
 * node; the database decides which node does the work.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SchedulingConfiguration {
}
