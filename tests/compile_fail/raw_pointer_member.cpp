// A raw pointer member.
// expect: dynamate: this member type has no Converter
#include <string>

#include "dynamate/model.hpp"

struct Node {
  std::string id;
  Node* parent = nullptr;
};
template <>
inline constexpr auto dynamate::schema_of<Node> = dynamate::schema<Node>(
    "nodes", dynamate::hash_key("id", &Node::id), dynamate::attribute("parent", &Node::parent));
