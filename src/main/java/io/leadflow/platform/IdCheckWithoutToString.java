package io.leadflow.platform;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.IdGenerator;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.db.DbEntity;
import org.camunda.bpm.engine.impl.db.PersistenceSession;
import org.camunda.bpm.engine.impl.db.entitymanager.DbEntityManager;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;

/**
 * The engine's entity manager without describing every row it inserts. Camunda 7.24's
 * {@code DbEntityManager.insert} checks each new entity's id with a message it builds before the
 * check, {@code "Entity " + entity + " has an invalid id"}: the entity's {@code toString()}, every
 * field with its dates formatted, for every row the engine inserts, thrown away unless the id is
 * {@code null} or {@code "*"}. In a JFR profile of the CSV import that was 7.3 % of the import
 * threads' CPU (docs/BENCHMARKS.md, seventh run).
 * <p>
 * {@link Manager} makes the same check and, only when it fails, calls the engine's own, which builds
 * the engine's message and throws the engine's exception: the outcome of every insert is unchanged.
 * The {@link Plugin} (a bean, picked up by the Camunda starter) or {@link #register} (engines built
 * without Spring) puts its {@link Factory} in place of the engine's entity manager factory.
 * <p>
 * The entity manager is internal engine API ({@code impl.db}); this class is the one place that
 * uses it ({@code IdCheckWithoutToStringTest}).
 */
public final class IdCheckWithoutToString {

    private IdCheckWithoutToString() {
    }

    /** Registers the {@link Plugin} with an engine built without Spring, as {@code HistoryWithoutVariableDetails.register} does. */
    public static void register(ProcessEngineConfiguration configuration) {
        ((ProcessEngineConfigurationImpl) configuration).getProcessEnginePlugins().add(new Plugin());
    }

    /** Registers the {@link Factory} before the engine builds its session factories. */
    public static class Plugin extends AbstractProcessEnginePlugin {

        @Override
        public void preInit(ProcessEngineConfigurationImpl configuration) {
            List<SessionFactory> factories = configuration.getCustomSessionFactories() == null ? new ArrayList<>()
                    : new ArrayList<>(configuration.getCustomSessionFactories());
            factories.add(new Factory(configuration));
            configuration.setCustomSessionFactories(factories);
        }
    }

    /** Opens a {@link Manager} wherever the engine would open its own entity manager. */
    public static final class Factory implements SessionFactory {

        private final ProcessEngineConfigurationImpl configuration;

        Factory(ProcessEngineConfigurationImpl configuration) {
            this.configuration = configuration;
        }

        @Override
        public Class<?> getSessionType() {
            return DbEntityManager.class;
        }

        @Override
        public Session openSession() {
            // as the engine's DbEntityManagerFactory does; the id generator is read now, once the engine has set it up
            return new Manager(configuration.getIdGenerator(), Context.getCommandContext().getSession(PersistenceSession.class));
        }
    }

    /** The engine's entity manager; only the id check differs, and only in when it describes the entity. */
    public static final class Manager extends DbEntityManager {

        Manager(IdGenerator idGenerator, PersistenceSession persistenceSession) {
            super(idGenerator, persistenceSession);
        }

        @Override
        protected void validateId(DbEntity entity) {
            String id = entity.getId();
            if (id == null || "*".equals(id)) {
                super.validateId(entity);
            }
        }
    }
}
