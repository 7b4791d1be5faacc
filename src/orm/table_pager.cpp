// ItemPager's non-template half: fetching pages, the total limit and the key
// to resume from.
#include <algorithm>
#include <utility>

#include "dynamate/table.hpp"

namespace dynamate::detail {

PageCursor::PageCursor(PageFetch fetch, std::optional<AttributeMap> start,
                       std::optional<std::int64_t> limit, std::vector<std::string> key_attributes)
    : fetch_(std::move(fetch)),
      key_attributes_(std::move(key_attributes)),
      page_end_(std::move(start)),
      remaining_(limit) {
  if (remaining_ && *remaining_ <= 0) done_ = true;
}

Result<bool> PageCursor::fetch() {
  if (done_) {
    page_.clear();
    pos_ = 0;
    return false;
  }
  auto r = fetch_(page_end_, remaining_);
  if (!r) return unexpected(std::move(r).error());
  page_start_ = std::move(page_end_);
  page_ = std::move(r->items);
  pos_ = 0;
  scanned_ += r->scanned_count;
  page_end_ = std::move(r->last_evaluated_key);
  if (remaining_) {
    const auto size = static_cast<std::int64_t>(page_.size());
    if (size > *remaining_) {
      // The limit ends inside this page: the next query starts after the
      // last item handed out, not after the page.
      page_.resize(static_cast<std::size_t>(*remaining_));
      page_end_ = key_of_item(page_.back());
    }
    *remaining_ -= std::min(size, *remaining_);
    if (*remaining_ == 0) done_ = true;
  }
  if (!page_end_) done_ = true;
  return true;
}

std::optional<AttributeMap> PageCursor::resume_key() const {
  if (pos_ >= page_.size()) return page_end_;
  if (pos_ == 0) return page_start_;
  return key_of_item(page_[pos_ - 1]);
}

AttributeMap PageCursor::key_of_item(const AttributeMap& item) const {
  AttributeMap key;
  for (const auto& name : key_attributes_) {
    if (auto it = item.find(name); it != item.end()) key.insert(*it);
  }
  return key;
}

}  // namespace dynamate::detail
