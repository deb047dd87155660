-- Who uploaded an import (an API key by its id, a person by user id): a caller without scope read
-- sees the imports it started only. Imports from before have none and are for readers only.
alter table lead_import add column started_by varchar(300);
