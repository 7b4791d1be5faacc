// DynamoDB (awsJson1_0) and S3 (rest-xml) error responses -> dynamate::Error,
// following botocore 1.43's parsers as described in tests/data/sigv4/README.md
// §3 and checked against tests/data/sigv4/error_responses.json.
//
// One deliberate difference from botocore: for body-less and generic (HTML)
// errors botocore drops the request id; we keep whatever the headers carry,
// because it is what AWS support asks for.
#include "aws/error_parser.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <simdjson.h>
#include <pugixml.hpp>

#include "aws/dynamodb_json.hpp"
#include "dynamate/aws/error_details.hpp"

namespace dynamate::aws::detail {
namespace {

constexpr std::size_t kMaxBodyInMessage = 1024;

std::string header_or_empty(const http::Response& r, std::string_view name) {
  const std::string* v = r.header(name);
  return v != nullptr ? *v : std::string();
}

std::string_view trim(std::string_view s) noexcept {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// A bare code from "ns#Name:uri" (botocore: cut at the first ':', then keep
// what follows the last '#').
std::string_view bare_error_name(std::string_view type) noexcept {
  if (const auto colon = type.find(':'); colon != std::string_view::npos) {
    type = type.substr(0, colon);
  }
  if (const auto hash = type.rfind('#'); hash != std::string_view::npos) {
    type = type.substr(hash + 1);
  }
  return type;
}

// botocore's _is_generic_error_response: a 5xx with no body or an HTML page
// (a load balancer or proxy answered, not the service).
bool is_generic_5xx(const http::Response& r) {
  if (r.status < 500) return false;
  const std::string_view body = trim(r.body);
  return body.empty() || body.starts_with("<html>");
}

void set_status_fallback(Error& e) {
  e.aws_code = std::to_string(e.http_status);
  e.message = std::string(http_reason_phrase(e.http_status));
}

void finish(Error& e, std::shared_ptr<const ErrorDetail> detail) {
  const ErrorClass c = classify_error(e.aws_code, e.http_status);
  e.code = c.code;
  e.retryable = c.retryable;
  // A server-side failure after the request arrived may have been applied
  // (DynamoDB documents this for InternalServerError); throttling never is.
  e.ambiguous = e.http_status >= 500 && c.code != ErrorCode::throttled;
  e.details = std::move(detail);
}

// ---- XML (S3, and moto's IAM-auth 403s on DynamoDB) -------------------------

// Text of an element: its PCDATA and CDATA children concatenated, so
// <Message><![CDATA[...]]></Message> and plain text read the same.
std::string text_of(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    }
  }
  return out;
}

bool has_element_children(pugi::xml_node node) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) return true;
  }
  return false;
}

struct XmlError {
  std::string code;
  std::string message;
  std::string request_id;  // from the body, used when no header carries one
  std::string host_id;
  std::map<std::string, std::string> fields;
};

// Accepts <Error>, <ErrorResponse><Error> and moto's
// <ErrorResponse><Errors><Error>. False when the body is not XML or has none
// of these shapes.
bool parse_xml_error(std::string_view body, XmlError& out) {
  pugi::xml_document doc;
  const auto loaded =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!loaded) return false;
  const pugi::xml_node root = doc.document_element();
  pugi::xml_node error;
  if (std::string_view(root.name()) == "Error") {
    error = root;
  } else if (std::string_view(root.name()) == "ErrorResponse") {
    error = root.child("Error");
    if (!error) error = root.child("Errors").child("Error");
    out.request_id = text_of(root.child("RequestId"));
    if (out.request_id.empty()) out.request_id = text_of(root.child("RequestID"));
  }
  if (!error) return false;
  for (pugi::xml_node child : error.children()) {
    if (child.type() != pugi::node_element || has_element_children(child)) continue;
    const std::string_view name = child.name();
    if (name == "Code") {
      out.code = text_of(child);
    } else if (name == "Message") {
      out.message = text_of(child);
    } else if (name == "RequestId") {  // botocore drops these two from the fields
      out.request_id = text_of(child);
    } else if (name == "HostId") {
      out.host_id = text_of(child);
    } else {
      // Everything else, including moto's <RequestID> spelling, is kept.
      if (name == "RequestID" && out.request_id.empty()) out.request_id = text_of(child);
      out.fields.emplace(std::string(name), text_of(child));
    }
  }
  return !out.code.empty();
}

// ---- DynamoDB JSON ---------------------------------------------------------

std::string json_string(simdjson::dom::object obj, std::string_view key) {
  std::string_view s;
  if (obj[key].get_string().get(s) != simdjson::SUCCESS) return {};
  return std::string(s);
}

std::optional<AttributeMap> json_item(simdjson::dom::object obj, std::string_view key) {
  simdjson::dom::element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return std::nullopt;
  auto item = parse_item(e);
  if (!item) return std::nullopt;  // a malformed Item must not hide the error itself
  return std::move(*item);
}

void parse_dynamodb_details(simdjson::dom::object obj, DynamoDbErrorDetail& d) {
  d.item = json_item(obj, "Item");
  simdjson::dom::array reasons;
  if (obj["CancellationReasons"].get_array().get(reasons) == simdjson::SUCCESS) {
    for (simdjson::dom::element r : reasons) {
      simdjson::dom::object ro;
      if (r.get_object().get(ro) != simdjson::SUCCESS) continue;
      d.cancellation_reasons.push_back(
          {json_string(ro, "Code"), json_string(ro, "Message"), json_item(ro, "Item")});
    }
  }
  simdjson::dom::array throttling;
  if (obj["ThrottlingReasons"].get_array().get(throttling) == simdjson::SUCCESS ||
      obj["throttlingReasons"].get_array().get(throttling) == simdjson::SUCCESS) {
    for (simdjson::dom::element r : throttling) {
      simdjson::dom::object ro;
      if (r.get_object().get(ro) != simdjson::SUCCESS) continue;
      d.throttling_reasons.push_back({json_string(ro, "reason"), json_string(ro, "resource")});
    }
  }
}

// The JSON error body. False when the body is not a JSON object.
bool parse_dynamodb_json(const http::Response& r, Error& e, DynamoDbErrorDetail& d) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(r.body.data(), r.body.size()).get_object().get(obj) != simdjson::SUCCESS) {
    return false;
  }
  std::string type = json_string(obj, "__type");
  // botocore stops at __type; X-Amzn-ErrorType and "code" are what Smithy's
  // awsJson1_0 also allows, so use them rather than a bare status.
  if (type.empty()) type = header_or_empty(r, "X-Amzn-ErrorType");
  if (type.empty()) type = json_string(obj, "code");
  if (type.empty()) type = json_string(obj, "Code");
  e.aws_code = type.empty() ? std::to_string(r.status) : std::string(bare_error_name(type));
  e.message = json_string(obj, "message");
  if (e.message.empty()) e.message = json_string(obj, "Message");
  parse_dynamodb_details(obj, d);
  return true;
}

}  // namespace

Error parse_dynamodb_error(const http::Response& response) {
  Error e;
  e.http_status = response.status;
  e.request_id = header_or_empty(response, "x-amzn-RequestId");
  if (e.request_id.empty()) e.request_id = header_or_empty(response, "x-amz-request-id");
  auto detail = std::make_shared<DynamoDbErrorDetail>();
  XmlError xml;
  if (is_generic_5xx(response)) {
    set_status_fallback(e);
  } else if (parse_dynamodb_json(response, e, *detail)) {
    // done
  } else if (trim(response.body).starts_with("<") && parse_xml_error(response.body, xml)) {
    // moto with IAM auth answers 403 with an XML <ErrorResponse> body.
    e.aws_code = std::string(bare_error_name(xml.code));
    e.message = std::move(xml.message);
    if (e.request_id.empty()) e.request_id = std::move(xml.request_id);
  } else {
    // Not JSON: botocore uses the status as the code and the body as message.
    const std::string type = header_or_empty(response, "X-Amzn-ErrorType");
    e.aws_code =
        type.empty() ? std::to_string(response.status) : std::string(bare_error_name(type));
    e.message = response.body.substr(0, kMaxBodyInMessage);
    if (e.message.empty()) e.message = std::string(http_reason_phrase(response.status));
  }
  finish(e, std::move(detail));
  return e;
}

Error parse_s3_error(const http::Response& response) {
  Error e;
  e.http_status = response.status;
  e.request_id = header_or_empty(response, "x-amz-request-id");
  auto detail = std::make_shared<S3ErrorDetail>();
  detail->host_id = header_or_empty(response, "x-amz-id-2");
  detail->bucket_region = header_or_empty(response, "x-amz-bucket-region");
  XmlError xml;
  // No body (HEAD, 304), an HTML page from a proxy, or a body that is not
  // valid XML: the status stands in for the code, as in botocore.
  if (!is_generic_5xx(response) && !response.body.empty() && parse_xml_error(response.body, xml)) {
    e.aws_code = std::move(xml.code);
    e.message = std::move(xml.message);
    if (e.request_id.empty()) e.request_id = std::move(xml.request_id);
    if (detail->host_id.empty()) detail->host_id = std::move(xml.host_id);
    detail->fields = std::move(xml.fields);
  } else {
    set_status_fallback(e);
  }
  finish(e, std::move(detail));
  return e;
}

bool s3_error_in_200(const http::Response& response, Error& out) {
  if (response.status != 200 || response.body.empty()) return false;
  pugi::xml_document doc;
  const auto loaded = doc.load_buffer(response.body.data(), response.body.size(),
                                      pugi::parse_default, pugi::encoding_utf8);
  // A 200 body cut short (connection dropped mid-response) is also a failure
  // to retry: the operation's outcome is unknown (botocore does the same).
  if (loaded && std::string_view(doc.document_element().name()) != "Error") return false;
  http::Response as_500 = response;
  as_500.status = 500;
  out = parse_s3_error(as_500);
  if (!loaded) out.message = "200 response with a malformed XML body";
  return true;
}

}  // namespace dynamate::aws::detail
