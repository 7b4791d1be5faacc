// S3's XML request bodies and responses, written and read with pugixml
// (shapes from botocore's s3/2006-03-01 model; lists are "flattened": repeated
// elements directly under the parent).
#include <pugixml.hpp>

#include "aws/s3_internal.hpp"
#include "core/try.hpp"

namespace dynamate::aws::detail {
namespace {

constexpr const char* kNamespace = "http://s3.amazonaws.com/doc/2006-03-01/";

class StringWriter final : public pugi::xml_writer {
 public:
  void write(const void* data, size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
  std::string out;
};

pugi::xml_node new_root(pugi::xml_document& doc, const char* name) {
  pugi::xml_node root = doc.append_child(name);
  root.append_attribute("xmlns").set_value(kNamespace);
  return root;
}

void add_text(pugi::xml_node parent, const char* name, std::string_view value) {
  parent.append_child(name).text().set(std::string(value).c_str());
}

std::string to_string(const pugi::xml_document& doc) {
  StringWriter w;
  doc.save(w, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return std::move(w.out);
}

// Parses `xml` and returns its root element. As in botocore, the root's name
// is not checked (moto answers <ListPartsResponse> for S3's <ListPartsResult>),
// except that an <Error> document is an error, never a result.
Result<pugi::xml_node> load(pugi::xml_document& doc, std::string_view xml,
                            const char* expected_root) {
  const pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  const pugi::xml_node root = doc.document_element();
  if (!parsed || !root) {
    return unexpected(ErrorCode::protocol, std::string("S3 sent malformed XML (") +
                                               parsed.description() + ") where <" + expected_root +
                                               "> was expected");
  }
  if (std::string_view(root.name()) == "Error") {
    return unexpected(ErrorCode::protocol, std::string("S3 sent an <Error> document (") +
                                               root.child_value("Code") + ": " +
                                               root.child_value("Message") + ") where <" +
                                               expected_root + "> was expected");
  }
  return root;
}

std::string text(pugi::xml_node node, const char* child) {
  return node.child(child).text().as_string();
}

std::optional<TimePoint> date(pugi::xml_node node, const char* child) {
  const pugi::xml_node c = node.child(child);
  if (!c) return std::nullopt;
  return parse_iso8601(c.text().as_string());
}

}  // namespace

std::string create_bucket_xml(std::string_view location_constraint) {
  pugi::xml_document doc;
  add_text(new_root(doc, "CreateBucketConfiguration"), "LocationConstraint", location_constraint);
  return to_string(doc);
}

std::string delete_objects_xml(std::span<const std::string* const> keys, bool quiet) {
  pugi::xml_document doc;
  pugi::xml_node root = new_root(doc, "Delete");
  for (const std::string* key : keys) add_text(root.append_child("Object"), "Key", *key);
  if (quiet) add_text(root, "Quiet", "true");
  return to_string(doc);
}

Result<void> parse_delete_objects(std::string_view xml, DeleteObjectsResult& out) {
  pugi::xml_document doc;
  DYNAMATE_ASSIGN_OR_RETURN(pugi::xml_node root, load(doc, xml, "DeleteResult"));
  for (pugi::xml_node d : root.children("Deleted")) out.deleted.push_back(text(d, "Key"));
  for (pugi::xml_node e : root.children("Error")) {
    out.errors.push_back({text(e, "Key"), text(e, "Code"), text(e, "Message")});
  }
  return {};
}

Result<ListObjectsResult> parse_list_objects_v2(std::string_view xml) {
  pugi::xml_document doc;
  DYNAMATE_ASSIGN_OR_RETURN(pugi::xml_node root, load(doc, xml, "ListBucketResult"));
  const bool encoded = text(root, "EncodingType") == "url";
  const auto decode = [&](std::string s) { return encoded ? url_decode(s) : s; };
  ListObjectsResult out;
  for (pugi::xml_node c : root.children("Contents")) {
    ObjectSummary o;
    o.key = decode(text(c, "Key"));
    o.size = c.child("Size").text().as_ullong();
    o.etag = text(c, "ETag");
    o.last_modified = date(c, "LastModified");
    o.storage_class = text(c, "StorageClass");
    out.objects.push_back(std::move(o));
  }
  for (pugi::xml_node p : root.children("CommonPrefixes")) {
    out.common_prefixes.push_back(decode(text(p, "Prefix")));
  }
  out.is_truncated = root.child("IsTruncated").text().as_bool();
  out.next_continuation_token = text(root, "NextContinuationToken");
  if (out.is_truncated && out.next_continuation_token.empty()) {
    return unexpected(ErrorCode::protocol,
                      "S3 reported a truncated listing without a NextContinuationToken");
  }
  return out;
}

std::string complete_multipart_xml(std::span<const CompletedPart> parts) {
  pugi::xml_document doc;
  pugi::xml_node root = new_root(doc, "CompleteMultipartUpload");
  for (const CompletedPart& p : parts) {
    pugi::xml_node part = root.append_child("Part");
    add_text(part, "ETag", p.etag);
    add_text(part, "PartNumber", std::to_string(p.part_number));
    if (!p.checksum_sha256.empty()) add_text(part, "ChecksumSHA256", p.checksum_sha256);
  }
  return to_string(doc);
}

Result<std::string> parse_initiate_multipart(std::string_view xml) {
  pugi::xml_document doc;
  DYNAMATE_ASSIGN_OR_RETURN(pugi::xml_node root, load(doc, xml, "InitiateMultipartUploadResult"));
  std::string id = text(root, "UploadId");
  if (id.empty()) return unexpected(ErrorCode::protocol, "S3 returned no UploadId");
  return id;
}

Result<CompleteMultipartUploadResult> parse_complete_multipart(std::string_view xml) {
  pugi::xml_document doc;
  DYNAMATE_ASSIGN_OR_RETURN(pugi::xml_node root, load(doc, xml, "CompleteMultipartUploadResult"));
  CompleteMultipartUploadResult out;
  out.etag = text(root, "ETag");
  out.location = text(root, "Location");
  out.checksum_sha256 = text(root, "ChecksumSHA256");
  return out;
}

Result<CopyObjectResult> parse_copy_object(std::string_view xml) {
  pugi::xml_document doc;
  DYNAMATE_ASSIGN_OR_RETURN(pugi::xml_node root, load(doc, xml, "CopyObjectResult"));
  CopyObjectResult out;
  out.etag = text(root, "ETag");
  out.last_modified = date(root, "LastModified");
  return out;
}

Result<ListPartsResult> parse_list_parts(std::string_view xml) {
  pugi::xml_document doc;
  DYNAMATE_ASSIGN_OR_RETURN(pugi::xml_node root, load(doc, xml, "ListPartsResult"));
  ListPartsResult out;
  for (pugi::xml_node p : root.children("Part")) {
    PartInfo part;
    part.part_number = p.child("PartNumber").text().as_int();
    part.etag = text(p, "ETag");
    part.size = p.child("Size").text().as_ullong();
    part.last_modified = date(p, "LastModified");
    part.checksum_sha256 = text(p, "ChecksumSHA256");
    out.parts.push_back(std::move(part));
  }
  out.is_truncated = root.child("IsTruncated").text().as_bool();
  out.next_part_number_marker = root.child("NextPartNumberMarker").text().as_int();
  return out;
}

}  // namespace dynamate::aws::detail
