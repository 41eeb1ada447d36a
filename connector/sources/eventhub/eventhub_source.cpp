#include "connector/sources/eventhub/eventhub_source.hpp"

#include <librdkafka/rdkafka.h>

#include <cstring>
#include <mutex>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/core/arena.hpp"
#include "connector/core/log.hpp"
#include "connector/normalize/normalize_util.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/normalize/payload_reader.hpp"
#include "connector/pipeline/kafka_conf.hpp"
#include "connector/pipeline/pipeline.hpp"
#include "connector/sources/eventhub/consumer_lag.hpp"

namespace secfeed {

namespace asio = boost::asio;

namespace {

struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

struct Fetched {
  MessagePtr message;
  std::uint64_t generation;
};

struct FetchedBatch {
  std::vector<Fetched> messages;
  bool end = false;  // marker: no more batches (asio's channel close() would drop data)
};
using BatchPtr = std::shared_ptr<FetchedBatch>;

using BatchChannel =
    asio::experimental::concurrent_channel<void(boost::system::error_code, BatchPtr)>;

constexpr const char* kComponent = "eventhub";
// How long a fetched batch may wait for room in the queue before the partitions are
// paused (see poll_loop).
constexpr std::chrono::milliseconds kPauseAfter{250};
// How often the consumer lag gauges are refreshed (from cached watermarks: cheap).
constexpr std::chrono::seconds kLagInterval{1};

}  // namespace

struct EventHubSource::Impl {
  Impl(asio::any_io_executor executor, Pipeline& pipeline, const EventHubSourceOptions& options,
       EventHubSourceStats& stats)
      : executor(executor),
        pipeline(pipeline),
        options(options),
        stats(stats),
        channel(executor, options.max_queued_batches),
        lag(options.name, options.topic) {}

  ~Impl() {
    aborting = true;
    stopping = true;
    if (poller.joinable()) poller.join();
    if (rk != nullptr) rd_kafka_destroy(rk);
  }

  bool create(std::string& error);
  void poll_loop();
  void handle(rd_kafka_message_t* message, FetchedBatch& batch);
  void commit(const std::vector<PartitionTracker::Commit>& commits, bool async);
  void set_paused(bool pause);
  void update_lag();
  void on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);
  asio::awaitable<void> process(const Fetched& fetched);

  static void rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    static_cast<Impl*>(opaque)->on_rebalance(err, partitions);
  }
  // librdkafka asks for an OAUTHBEARER token at start and before the current one
  // expires; it runs on the poll thread, which may block while the io thread fetches.
  static void oauth_cb(rd_kafka_t* rk, const char* /*oauthbearer_config*/, void* opaque) {
    Impl* self = static_cast<Impl*>(opaque);
    if (net::answer_oauth_refresh(rk, self->options.oauth_token, kComponent, self->options.name)) {
      self->stats.token_refreshes.fetch_add(1);
    } else {
      self->stats.consumer_errors.fetch_add(1);
    }
  }
  static void commit_cb(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t*,
                        void* opaque) {
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
    Impl* self = static_cast<Impl*>(opaque);
    self->stats.commit_errors.fetch_add(1);
    log_warn(kComponent, self->options.name + ": offset commit failed: " + rd_kafka_err2str(err));
  }

  asio::any_io_executor executor;
  Pipeline& pipeline;
  const EventHubSourceOptions& options;
  EventHubSourceStats& stats;
  BatchChannel channel;
  PartitionTracker tracker;
  ConsumerLagGauges lag;  // poll thread only (and finish(), after it ended)
  rd_kafka_t* rk = nullptr;
  std::thread poller;
  std::atomic<bool> stopping{false}, aborting{false};
  bool paused = false;
  bool cooperative = false;
  // Used by process() only (one run() coroutine per source): the events of a message
  // point into reader's document and the arena while dispatch() is suspended.
  PayloadReader reader;
  Arena arena;
  EventBatch events;
  std::string error, position;
};

bool EventHubSource::Impl::create(std::string& error) {
  // Our defaults first, so user-given properties override them; the commit policy
  // (never auto-commit, never auto-store) is applied last and cannot be overridden:
  // it is what makes delivery at-least-once.
  KafkaProperties properties = {
      {"client.id", "secfeed"},
      {"auto.offset.reset", "error"},  // an out-of-range offset is data loss: report it
      {"enable.partition.eof", "false"},
  };
  properties.insert(properties.end(), options.properties.begin(), options.properties.end());
  properties.emplace_back("enable.auto.commit", "false");
  properties.emplace_back("enable.auto.offset.store", "false");
  rd_kafka_conf_t* conf = make_kafka_conf(properties, options.name, error);
  if (conf == nullptr) return false;
  char errstr[512];
  rd_kafka_conf_set_opaque(conf, this);
  rd_kafka_conf_set_rebalance_cb(conf, &Impl::rebalance_cb);
  rd_kafka_conf_set_offset_commit_cb(conf, &Impl::commit_cb);
  if (options.oauth_token) rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, &Impl::oauth_cb);
  rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);  // only consumed by rd_kafka_new on success
    error = options.name + ": cannot create the Kafka consumer: " + errstr;
    return false;
  }
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, options.topic.c_str(), RD_KAFKA_PARTITION_UA);
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = options.name + ": cannot subscribe to " + options.topic + ": " + rd_kafka_err2str(err);
    return false;
  }
  return true;
}

void EventHubSource::Impl::on_rebalance(rd_kafka_resp_err_t err,
                                        rd_kafka_topic_partition_list_t* partitions) {
  cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
  std::vector<std::int32_t> ids;
  for (int i = 0; i < partitions->cnt; ++i) ids.push_back(partitions->elems[i].partition);

  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    // Start where the group committed; partitions never committed start at the
    // configured end. (auto.offset.reset=error is reserved for real out-of-range.)
    if (rd_kafka_committed(rk, partitions, 30000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      log_warn(kComponent, options.name + ": cannot read committed offsets; using stored offsets");
      for (int i = 0; i < partitions->cnt; ++i)
        partitions->elems[i].offset = RD_KAFKA_OFFSET_STORED;
    }
    for (int i = 0; i < partitions->cnt; ++i) {
      if (partitions->elems[i].offset == RD_KAFKA_OFFSET_INVALID) {
        partitions->elems[i].offset =
            options.start_from_latest ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
      }
    }
    tracker.assign(ids);
    std::string names;
    for (std::int32_t id : ids) {
      // (Not `"," + std::to_string(id)`: GCC 12 -O3 reports a false -Wrestrict there.)
      if (!names.empty()) names += ',';
      names += std::to_string(id);
    }
    log_info(kComponent, options.name + ": assigned partitions [" + names + "]");
    if (cooperative) {
      rd_kafka_error_t* e = rd_kafka_incremental_assign(rk, partitions);
      if (e) rd_kafka_error_destroy(e);
    } else {
      rd_kafka_assign(rk, partitions);
    }
    return;
  }

  // Revoked (or lost): commit what was delivered before giving the partitions up, then
  // forget them; their in-flight messages are still delivered but never committed from
  // here (the new owner re-reads them: at-least-once duplicates, bounded and counted).
  std::vector<std::shared_ptr<PartitionState>> states = tracker.revoke(ids);
  for (std::int32_t id : ids) lag.remove(id);
  if (!rd_kafka_assignment_lost(rk)) commit(PartitionTracker::take_committable(states), false);
  for (const auto& state : states) {
    const std::size_t abandoned = state->offsets.in_flight();
    state->offsets.abandon();
    if (abandoned > 0) {
      log_info(kComponent, options.name + ": partition " + std::to_string(state->partition) +
                               " revoked with " + std::to_string(abandoned) +
                               " undelivered messages; the next owner re-reads them");
    }
  }
  if (cooperative) {
    rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk, partitions);
    if (e) rd_kafka_error_destroy(e);
  } else {
    rd_kafka_assign(rk, nullptr);
  }
}

void EventHubSource::Impl::commit(const std::vector<PartitionTracker::Commit>& commits,
                                  bool async) {
  if (commits.empty()) return;
  rd_kafka_topic_partition_list_t* list =
      rd_kafka_topic_partition_list_new(static_cast<int>(commits.size()));
  for (const PartitionTracker::Commit& c : commits) {
    rd_kafka_topic_partition_list_add(list, options.topic.c_str(), c.partition)->offset = c.offset;
  }
  const rd_kafka_resp_err_t err = rd_kafka_commit(rk, list, async ? 1 : 0);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    stats.commit_errors.fetch_add(1);
    log_warn(kComponent, options.name + ": offset commit failed: " + rd_kafka_err2str(err));
  } else {
    stats.commits.fetch_add(1);
  }
}

void EventHubSource::Impl::set_paused(bool pause) {
  if (paused == pause) return;
  rd_kafka_topic_partition_list_t* assignment = nullptr;
  if (rd_kafka_assignment(rk, &assignment) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  // Pausing purges what librdkafka prefetched for these partitions; fetching resumes
  // from the position after the last message handed to us, so nothing is skipped.
  if (pause) {
    rd_kafka_pause_partitions(rk, assignment);
  } else {
    rd_kafka_resume_partitions(rk, assignment);
  }
  rd_kafka_topic_partition_list_destroy(assignment);
  paused = pause;
}

void EventHubSource::Impl::update_lag() {
  rd_kafka_topic_partition_list_t* assignment = nullptr;
  if (rd_kafka_assignment(rk, &assignment) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  // The position is the offset after the last message consume_poll returned to us.
  if (rd_kafka_position(rk, assignment) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < assignment->cnt; ++i) {
      const rd_kafka_topic_partition_t& p = assignment->elems[i];
      std::int64_t low = RD_KAFKA_OFFSET_INVALID, high = RD_KAFKA_OFFSET_INVALID;
      if (rd_kafka_get_watermark_offsets(rk, p.topic, p.partition, &low, &high) !=
          RD_KAFKA_RESP_ERR_NO_ERROR) {
        continue;
      }
      if (const auto value = consumer_lag(low, high, p.offset)) lag.set(p.partition, *value);
    }
  }
  rd_kafka_topic_partition_list_destroy(assignment);
}

void EventHubSource::Impl::handle(rd_kafka_message_t* message, FetchedBatch& batch) {
  MessagePtr owned(message);
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    batch.messages.push_back(Fetched{std::move(owned), tracker.generation_of(message->partition)});
    return;
  }
  if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return;
  if (message->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
      message->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
    // The committed position is gone from the hub (retention): that data is lost.
    // Never reset silently: say so loudly, count it, leave a dead-letter note, and go
    // on from the earliest offset still available.
    stats.offsets_lost.fetch_add(1);
    const std::string reason = "partition " + std::to_string(message->partition) +
                               ": committed offset is out of range (expired from retention "
                               "before it was read): events were LOST; resuming at the "
                               "earliest available offset: " +
                               rd_kafka_message_errstr(message);
    log_error(kComponent, options.name + ": " + reason);
    DeadLetter note;
    note.stage = "consume";
    note.source = options.name;
    const std::string position = "partition " + std::to_string(message->partition);
    note.position = position;
    note.reason = reason;
    pipeline.reject(note);
    rd_kafka_topic_partition_list_t* seek = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(seek, options.topic.c_str(), message->partition)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_error_t* e = rd_kafka_seek_partitions(rk, seek, 10000);
    if (e) rd_kafka_error_destroy(e);
    rd_kafka_topic_partition_list_destroy(seek);
    return;
  }
  stats.consumer_errors.fetch_add(1);
  log_warn(kComponent, options.name + ": " + rd_kafka_message_errstr(message));
}

void EventHubSource::Impl::poll_loop() {
  auto last_commit = std::chrono::steady_clock::now();
  auto pending_since = last_commit, last_lag = last_commit;
  BatchPtr pending;
  while (!stopping.load()) {
    if (pending) {
      if (channel.try_send(boost::system::error_code{}, pending)) {
        pending.reset();
        set_paused(false);
      } else if (!paused && std::chrono::steady_clock::now() - pending_since < kPauseAfter) {
        // The queue is usually full only for a moment after a fetch. Pausing would purge
        // everything librdkafka prefetched (it fetches again only on its next wakeup,
        // ~1 s later): measured 2.8k instead of 28k events/s. So wait briefly first.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      } else {
        set_paused(true);  // the pipeline is really behind: backpressure
      }
    }
    // While paused, polling still serves rebalances and errors; a message fetched before
    // the pause took effect joins the pending batch.
    BatchPtr into = pending ? pending : std::make_shared<FetchedBatch>();
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk, pending ? 20 : 100);
    while (message != nullptr) {
      handle(message, *into);
      if (into->messages.size() >= options.max_batch_messages) break;
      message = rd_kafka_consumer_poll(rk, 0);
    }
    if (!pending && !into->messages.empty()) {
      pending = std::move(into);
      pending_since = std::chrono::steady_clock::now();
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_commit >= options.commit_interval) {
      commit(tracker.take_committable(), true);
      last_commit = now;
    }
    if (now - last_lag >= kLagInterval) {
      update_lag();
      last_lag = now;
    }
  }
  // Hand over what was fetched, then the end marker (unless shutdown is aborting).
  BatchPtr end = std::make_shared<FetchedBatch>();
  end->end = true;
  for (BatchPtr* next : {&pending, &end}) {
    while (*next && !aborting.load() && !channel.try_send(boost::system::error_code{}, *next)) {
      rd_kafka_consumer_poll(rk, 10);  // keep serving the group while we wait
    }
  }
}

asio::awaitable<void> EventHubSource::Impl::process(const Fetched& fetched) {
  const rd_kafka_message_t* message = fetched.message.get();
  std::shared_ptr<PartitionState> state = tracker.find(message->partition, fetched.generation);
  if (!state) {
    stats.skipped_revoked.fetch_add(1);  // revoked since it was fetched: not ours now
    co_return;
  }
  stats.messages.fetch_add(1, std::memory_order_relaxed);
  const std::int64_t offset = message->offset;
  const OrderedCheckpoints<std::int64_t>::Ticket ticket = state->offsets.begin(offset + 1);
  auto group = std::make_shared<AckGroup>([state, ticket] { state->offsets.complete(ticket); });

  arena.reset();
  events.clear();
  const std::string_view payload(static_cast<const char*>(message->payload), message->len);
  const auto reject = [&](std::string_view where, std::string_view reason,
                          std::string_view record) {
    stats.rejected.fetch_add(1, std::memory_order_relaxed);
    position =
        "partition " + std::to_string(message->partition) + " offset " + std::to_string(offset);
    if (!where.empty()) position.append(" ").append(where);
    DeadLetter letter;
    letter.stage = "normalize";
    letter.source = options.name;
    letter.tenant_id = options.tenant_id;
    letter.position = position;
    letter.reason = reason;
    letter.payload = record;
    pipeline.reject(letter);
  };
  reader.read(
      payload,
      [&](const PayloadItem& item) {
        stats.records.fetch_add(1, std::memory_order_relaxed);
        NormalizeContext ctx{arena, options.name, options.tenant_id, options.tenant_name,
                             item.raw_text};
        if (!normalize_item(PayloadKind::mdc, item.value, ctx, events, error)) {
          reject(item.position, error,
                 item.raw_text.empty() ? json_text(item.value, arena) : item.raw_text);
        }
      },
      [&](const PayloadError& bad) { reject(bad.position, bad.reason, payload); });
  stats.events.fetch_add(events.size(), std::memory_order_relaxed);
  co_await pipeline.dispatch(events, group);
  group->seal();
}

EventHubSource::EventHubSource(asio::any_io_executor executor, Pipeline& pipeline,
                               EventHubSourceOptions options)
    : options_(std::move(options)) {
  impl_ = std::make_unique<Impl>(executor, pipeline, options_, stats_);
}

EventHubSource::~EventHubSource() = default;

bool EventHubSource::start(std::string& error) {
  if (options_.topic.empty()) {
    error = options_.name + ": no topic (event hub name) configured";
    return false;
  }
  if (!impl_->create(error)) return false;
  impl_->poller = std::thread([this] { impl_->poll_loop(); });
  return true;
}

asio::awaitable<void> EventHubSource::run() {
  for (;;) {
    auto [ec, batch] = co_await impl_->channel.async_receive(asio::as_tuple(asio::use_awaitable));
    if (ec || !batch || batch->end) break;
    for (const Fetched& fetched : batch->messages) co_await impl_->process(fetched);
  }
}

void EventHubSource::stop_fetching() {
  impl_->stopping = true;
}

void EventHubSource::finish() {
  impl_->stopping = true;
  impl_->aborting = true;
  if (impl_->poller.joinable()) impl_->poller.join();
  if (impl_->rk == nullptr) return;
  impl_->commit(impl_->tracker.take_committable(), false);
  // Leaves the group; the revoke callback commits anything delivered meanwhile.
  rd_kafka_consumer_close(impl_->rk);
  impl_->lag.remove_all();  // no longer consuming: no lag to report
}

std::string EventHubSource::status() const {
  return "messages=" + std::to_string(stats_.messages.load()) +
         " records=" + std::to_string(stats_.records.load()) +
         " events=" + std::to_string(stats_.events.load()) +
         " rejected=" + std::to_string(stats_.rejected.load()) +
         " commits=" + std::to_string(stats_.commits.load()) +
         " in_flight=" + std::to_string(impl_->tracker.in_flight()) +
         (stats_.offsets_lost.load() ? " OFFSETS_LOST=" + std::to_string(stats_.offsets_lost.load())
                                     : std::string());
}

}  // namespace secfeed
