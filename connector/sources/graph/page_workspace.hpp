// Memory for one Graph page while it is parsed, normalized and dispatched: the parsed
// response (events point into it), the arena and the event batch. Pooled per source and
// bounded by a FIFO semaphore, so 200 tenants hold at most `max_pages` pages in memory
// at once, however slow the sinks are (a page of 1000 alerts is several MB).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"
#include "connector/normalize/payload_reader.hpp"
#include "connector/sources/graph/request_budget.hpp"

namespace secfeed::graph {

struct PageWorkspace {
  PayloadReader reader;
  Arena arena;
  EventBatch events;
  std::string error, position;
};

class PageWorkspacePool {
 public:
  PageWorkspacePool(boost::asio::any_io_executor executor, std::size_t max_pages)
      : slots_(executor, BudgetLimits{max_pages, 0, {}}) {}

  // Returns its workspace to the pool and frees the slot when destroyed.
  class Lease {
   public:
    Lease(PageWorkspacePool* pool, std::unique_ptr<PageWorkspace> workspace,
          RequestBudget::Permit permit)
        : pool_(pool), workspace_(std::move(workspace)), permit_(std::move(permit)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (workspace_) pool_->free_.push_back(std::move(workspace_));
    }
    PageWorkspace& operator*() { return *workspace_; }
    PageWorkspace* operator->() { return workspace_.get(); }

   private:
    PageWorkspacePool* pool_;
    std::unique_ptr<PageWorkspace> workspace_;
    RequestBudget::Permit permit_;  // released after the workspace is back
  };

  boost::asio::awaitable<Lease> acquire() {
    RequestBudget::Permit permit = co_await slots_.acquire();
    std::unique_ptr<PageWorkspace> workspace;
    if (free_.empty()) {
      workspace = std::make_unique<PageWorkspace>();
    } else {
      workspace = std::move(free_.back());
      free_.pop_back();
    }
    co_return Lease(this, std::move(workspace), std::move(permit));
  }

 private:
  RequestBudget slots_;
  std::vector<std::unique_ptr<PageWorkspace>> free_;
};

}  // namespace secfeed::graph
