#include "odata_filter.hpp"

#include <strings.h>

namespace secfeed::emulator {
namespace {

constexpr int kMaxDepth = 32;

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '/' || c == '.' || c == '-' || c == ':' || c == '+';
}

}  // namespace

// Recursive descent over whitespace-separated tokens; every error names the problem as
// Graph's "Invalid filter clause" messages do.
class ODataFilter::Parser {
 public:
  Parser(std::string_view text, std::span<const FilterField> fields, std::vector<Node>& nodes)
      : text_(text), fields_(fields), nodes_(nodes) {}

  std::string run() {
    std::size_t root;
    if (!parse_or(0, root)) return error_;
    if (!peek().empty())
      return "Invalid filter clause: syntax error at '" + std::string(peek()) + "'.";
    return {};
  }

 private:
  std::string_view peek() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    if (pos_ >= text_.size()) return {};
    const char c = text_[pos_];
    if (c == '(' || c == ')') return text_.substr(pos_, 1);
    if (c == '\'') {
      std::size_t end = pos_ + 1;
      while (end < text_.size()) {
        if (text_[end] == '\'') {
          if (end + 1 < text_.size() && text_[end + 1] == '\'') {
            end += 2;
            continue;
          }
          return text_.substr(pos_, end + 1 - pos_);
        }
        ++end;
      }
      return text_.substr(pos_);  // unterminated: rejected by the literal parser
    }
    std::size_t end = pos_;
    while (end < text_.size() && is_word_char(text_[end])) ++end;
    if (end == pos_) return text_.substr(pos_, 1);
    return text_.substr(pos_, end - pos_);
  }

  std::string_view take() {
    const std::string_view token = peek();
    pos_ += token.size();
    return token;
  }

  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  bool parse_or(int depth, std::size_t& out) {
    return parse_list(depth, "or", Node::Kind::any_of, out);
  }

  bool parse_list(int depth, std::string_view keyword, Node::Kind kind, std::size_t& out) {
    std::vector<std::size_t> children(1);
    const bool is_or = kind == Node::Kind::any_of;
    if (!(is_or ? parse_and(depth, children[0]) : parse_primary(depth, children[0]))) return false;
    while (same(peek(), keyword)) {
      take();
      children.emplace_back();
      if (!(is_or ? parse_and(depth, children.back()) : parse_primary(depth, children.back()))) {
        return false;
      }
    }
    if (children.size() == 1) {
      out = children[0];
      return true;
    }
    Node node;
    node.kind = kind;
    node.children = std::move(children);
    nodes_.push_back(std::move(node));
    out = nodes_.size() - 1;
    return true;
  }

  bool parse_and(int depth, std::size_t& out) {
    return parse_list(depth, "and", Node::Kind::all_of, out);
  }

  bool parse_primary(int depth, std::size_t& out) {
    if (depth > kMaxDepth) return fail("Invalid filter clause: nesting is too deep.");
    const std::string_view token = take();
    if (token.empty()) return fail("Invalid filter clause: unexpected end of expression.");
    if (token == "(") {
      if (!parse_or(depth + 1, out)) return false;
      if (take() != ")") return fail("Invalid filter clause: ')' expected.");
      return true;
    }
    std::size_t field = fields_.size();
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (same(fields_[i].name, token)) field = i;
    }
    if (field == fields_.size()) {
      return fail("Invalid filter clause: Could not find a property named '" + std::string(token) +
                  "' on type 'microsoft.graph.security' or it does not support filtering.");
    }
    Node node;
    node.field = field;
    node.type = fields_[field].type;
    const std::string_view op = take();
    static constexpr std::pair<std::string_view, Op> kOps[] = {{"eq", Op::eq}, {"ne", Op::ne},
                                                               {"gt", Op::gt}, {"ge", Op::ge},
                                                               {"lt", Op::lt}, {"le", Op::le}};
    bool found = false;
    for (const auto& [name, value] : kOps) {
      if (same(op, name)) {
        node.op = value;
        found = true;
      }
    }
    if (!found) {
      return fail("Invalid filter clause: unsupported operator '" + std::string(op) + "'.");
    }
    const std::string_view literal = take();
    const bool quoted = literal.size() >= 2 && literal.front() == '\'' && literal.back() == '\'';
    if (node.type == FieldType::datetime) {
      const auto time = quoted ? std::nullopt : parse_datetime(literal);
      if (!time) {
        return fail(
            "Invalid filter clause: A binary operator with incompatible types was "
            "detected. Found operand types 'Edm.DateTimeOffset' and '" +
            std::string(quoted ? "Edm.String" : literal) + "'.");
      }
      node.time = *time;
    } else {
      if (!quoted) {
        return fail("Invalid filter clause: expected a quoted string after '" + std::string(op) +
                    "', found '" + std::string(literal) + "'.");
      }
      if (node.op != Op::eq && node.op != Op::ne) {
        return fail("Invalid filter clause: only eq and ne apply to '" + std::string(token) + "'.");
      }
      const std::string_view inner = literal.substr(1, literal.size() - 2);
      for (std::size_t i = 0; i < inner.size(); ++i) {
        node.text.push_back(inner[i]);
        if (inner[i] == '\'') ++i;  // '' is an escaped quote
      }
    }
    nodes_.push_back(std::move(node));
    out = nodes_.size() - 1;
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::span<const FilterField> fields_;
  std::vector<Node>& nodes_;
  std::string error_;
};

std::variant<ODataFilter, std::string> ODataFilter::parse(std::string_view text,
                                                          std::span<const FilterField> fields) {
  ODataFilter filter;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.empty()) return filter;
  Parser parser(text, fields, filter.nodes_);
  std::string error = parser.run();
  if (!error.empty()) return error;
  return filter;
}

bool ODataFilter::matches(const FieldLookup& value_of) const {
  return nodes_.empty() || evaluate(nodes_.size() - 1, value_of);
}

bool ODataFilter::evaluate(std::size_t index, const FieldLookup& value_of) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Node::Kind::all_of:
      for (const std::size_t child : node.children) {
        if (!evaluate(child, value_of)) return false;
      }
      return true;
    case Node::Kind::any_of:
      for (const std::size_t child : node.children) {
        if (evaluate(child, value_of)) return true;
      }
      return false;
    case Node::Kind::compare:
      break;
  }
  const FieldValue value = value_of(node.field);
  if (node.type == FieldType::text) {
    const bool equal = same(value.text, node.text);  // Graph compares enums case-insensitively
    return node.op == Op::eq ? equal : !equal;
  }
  switch (node.op) {
    case Op::eq:
      return value.time == node.time;
    case Op::ne:
      return value.time != node.time;
    case Op::gt:
      return value.time > node.time;
    case Op::ge:
      return value.time >= node.time;
    case Op::lt:
      return value.time < node.time;
    case Op::le:
      return value.time <= node.time;
  }
  return false;
}

}  // namespace secfeed::emulator
