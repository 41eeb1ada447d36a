// The subset of OData $filter that connectors send to Graph security endpoints:
// comparisons (eq ne gt ge lt le) of a datetime field with a DateTimeOffset literal or of
// a text field with a 'quoted' string, combined with `and` / `or` and parentheses.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "clock.hpp"

namespace secfeed::emulator {

enum class FieldType { datetime, text };

struct FilterField {
  std::string_view name;
  FieldType type;
};

// The value of field `index` (into the parse-time field list) for one item.
struct FieldValue {
  Ticks time = 0;
  std::string_view text;
};
using FieldLookup = std::function<FieldValue(std::size_t index)>;

class ODataFilter {
 public:
  // A filter or the message of Graph's 400 answer.
  static std::variant<ODataFilter, std::string> parse(std::string_view text,
                                                      std::span<const FilterField> fields);

  bool matches(const FieldLookup& value_of) const;

 private:
  enum class Op { eq, ne, gt, ge, lt, le };
  struct Node {
    enum class Kind { compare, all_of, any_of } kind = Kind::compare;
    std::size_t field = 0;
    FieldType type = FieldType::text;
    Op op = Op::eq;
    Ticks time = 0;
    std::string text;
    std::vector<std::size_t> children;
  };
  class Parser;

  bool evaluate(std::size_t node, const FieldLookup& value_of) const;

  std::vector<Node> nodes_;  // nodes_.empty(): matches everything; root is nodes_.back()
};

}  // namespace secfeed::emulator
