// The probes of `secfeed check`, one per component type (one file each). Every probe
// tries its component once, within the context's timeout, and adds one row per thing
// it tried to the report. A probe never throws for what it finds.
#pragma once

#include "connector/app/check/check_context.hpp"
#include "connector/app/check/check_report.hpp"
#include "connector/core/config.hpp"

namespace secfeed::check {

// state_dir (checkpoints, buffers, dead letters) is writable, or can be created.
void check_state_dir(CheckContext& context, CheckReport& report);

// A client-credentials token for Microsoft Graph (records the result in the context:
// the Graph probes skip tenants without a token).
void check_tenant(CheckContext& context, const TenantConfig& tenant, CheckReport& report);

// graph_alerts, graph_incidents, graph_legacy_alerts, secure_score: for each of the
// source's tenants, one GET ...?$top=1 per endpoint it polls.
void check_graph_source(CheckContext& context, const SourceConfig& source, CheckReport& report);

// eventhub: the topic's metadata from the Kafka endpoint.
void check_eventhub_source(CheckContext& context, const SourceConfig& source, CheckReport& report);

// syslog: resolve, and for tcp/tls connect (tls: handshake, certificate and host name).
void check_syslog_sink(CheckContext& context, const SinkConfig& sink, CheckReport& report);

// kafka: the topic's metadata (the cluster's when the topic is a template).
void check_kafka_sink(CheckContext& context, const SinkConfig& sink, CheckReport& report);

// log_analytics: a token for the monitor scope and a POST of `[]` to each stream.
void check_log_analytics_sink(CheckContext& context, const SinkConfig& sink, CheckReport& report);

// file: the file's directory accepts a new file (and an existing file is writable).
void check_file_sink(CheckContext& context, const SinkConfig& sink, CheckReport& report);

}  // namespace secfeed::check
