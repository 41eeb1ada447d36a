// Completing a stored completion handler later, on the executor it belongs to.
#pragma once

#include <utility>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace secfeed::net {

// Posts to `fallback` (never runs inline, so a caller holding locks or inside an
// initiation is safe), then dispatches to the handler's associated executor, so a
// coroutine resumes on its own strand/executor. (Boost 1.81 cannot post() directly to
// an any_completion_executor: it lacks blocking.never.)
template <class Value>
void complete_later(const boost::asio::any_io_executor& fallback,
                    boost::asio::any_completion_handler<void(Value)> handler, Value value) {
  auto handler_executor = boost::asio::get_associated_executor(handler, fallback);
  boost::asio::post(fallback, [handler_executor, handler = std::move(handler),
                               value = std::move(value)]() mutable {
    boost::asio::dispatch(handler_executor,
                          [handler = std::move(handler), value = std::move(value)]() mutable {
                            std::move(handler)(std::move(value));
                          });
  });
}

}  // namespace secfeed::net
