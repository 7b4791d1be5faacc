// Table<T> end to end against DynamoDB Local: a CRUD round trip of a model
// with many types, projections, conditions, optimistic locking with two copies
// of an object, return values (ALL_NEW, UPDATED_NEW merged, ALL_OLD,
// UPDATED_OLD), the 400 KB refusal and not_found. Lifecycle:
// orm_table_lifecycle_test.cpp; query and scan: orm_table_query_test.cpp.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "orm_everything.hpp"

// A model without extra_attributes: save must not drop what it does not name.
namespace orm_it {
struct Slim {
  std::string id;
  std::int64_t seq = 0;
  std::string name;
  std::optional<std::string> note;
};
}  // namespace orm_it
template <>
inline constexpr auto dynamate::schema_of<orm_it::Slim> =
    dynamate::schema<orm_it::Slim>("slim", dynamate::hash_key("id", &orm_it::Slim::id),
                                   dynamate::range_key("seq", &orm_it::Slim::seq),
                                   dynamate::attribute("name", &orm_it::Slim::name),
                                   dynamate::attribute("note", &orm_it::Slim::note));

namespace dynamate {
namespace {

using namespace std::chrono_literals;
using orm_it::Address;
using orm_it::Everything;
using test::OrmTableLocal;
using test::sample;

TEST_F(OrmTableLocal, CrudRoundTripOfManyTypes) {
  auto t = make_table();
  Everything e = sample("round", 1);
  auto saved = t.save(e);
  ASSERT_TRUE(saved) << saved.error().to_string();
  EXPECT_EQ(e.version, 1);

  auto got = t.get("round", 1, {.consistent_read = true});
  ASSERT_TRUE(got) << got.error().to_string();
  EXPECT_EQ(*got, e);
  EXPECT_EQ(got->extras.at("legacy_field"), AttributeValue("from python"));

  // Empty containers and optionals come back empty; defaults are defaults.
  Everything sparse;
  sparse.id = "sparse";
  sparse.seq = 2;
  // An index key cannot be an empty string: DynamoDB refuses the item.
  auto refused = t.save(sparse);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::validation) << refused.error().to_string();
  EXPECT_EQ(sparse.version, 0);
  sparse.text = "sparse";
  auto sparse_saved = t.save(sparse);
  ASSERT_TRUE(sparse_saved) << sparse_saved.error().to_string();
  auto back = t.get_by_key(t.key_of(sparse).value(), {.consistent_read = true});
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, sparse);

  // Projection: only some attributes (and the keys) come back.
  auto part = t.get("round", 1,
                    {.consistent_read = true,
                     .projection = project(&Everything::text,
                                           field(&Everything::address).field(&Address::city))});
  ASSERT_TRUE(part) << part.error().to_string();
  EXPECT_EQ(part->id, "round");
  EXPECT_EQ(part->text, e.text);
  EXPECT_EQ(part->address.city, "Paris");
  EXPECT_EQ(part->address.zip, 0);
  EXPECT_TRUE(part->tags.empty());

  // refresh after another writer changed it.
  Everything other = *got;
  other.text = "changed";
  ASSERT_TRUE(t.save(other));
  ASSERT_TRUE(t.refresh(e, true));
  EXPECT_EQ(e.text, "changed");
  EXPECT_EQ(e.version, 2);

  auto removed = t.remove(e);
  ASSERT_TRUE(removed) << removed.error().to_string();
  auto gone = t.get("round", 1, {.consistent_read = true});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
  EXPECT_NE(gone.error().message.find(t.name()), std::string::npos) << gone.error().message;
  EXPECT_NE(gone.error().message.find("round"), std::string::npos) << gone.error().message;
  auto refresh_gone = t.refresh(e);
  ASSERT_FALSE(refresh_gone);
  EXPECT_EQ(refresh_gone.error().code, ErrorCode::not_found);
}

TEST_F(OrmTableLocal, UpdateAppliesReturnedValues) {
  auto t = make_table();
  Everything e = sample("upd", 1);
  ASSERT_TRUE(t.save(e));

  // ALL_NEW (default): the object gets the server's values.
  auto r = t.update(e, {add(&Everything::small, 2), set(&Everything::maybe, std::string("new")),
                        add(&Everything::tags, std::set<std::string>{"blue"}),
                        set(field(&Everything::counts)["z"], std::int64_t{5}),
                        remove(field(&Everything::list)[0])});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(e.small, -40);
  EXPECT_EQ(e.maybe, "new");
  EXPECT_EQ(e.tags, (std::set<std::string>{"red", "green", "blue"}));
  EXPECT_EQ(e.counts.at("z"), 5);
  EXPECT_EQ(e.list, (std::vector<std::string>{"b", ""}));
  EXPECT_EQ(e.version, 2);
  auto stored = t.get("upd", 1, {.consistent_read = true});
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, e);

  // UPDATED_NEW: merged into the object, REMOVEd attributes dropped, nested
  // map members merged.
  r = t.update(
      e,
      {remove(field(&Everything::maybe)),
       set(field(&Everything::address).field(&Address::zip), 13001), set(&Everything::ratio, 2.5)},
      {.return_values = aws::ReturnValues::updated_new});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(e.maybe.has_value());
  EXPECT_EQ(e.address, (Address{"Paris", 13001}));
  EXPECT_EQ(e.ratio, 2.5);
  EXPECT_EQ(e.version, 3);
  stored = t.get("upd", 1, {.consistent_read = true});
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, e);

  // UPDATED_NEW on a list element: the whole item comes back instead.
  r = t.update(e, {set(field(&Everything::history)[1], Address{"Lille", 59000})},
               {.return_values = aws::ReturnValues::updated_new});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(e.history, (std::vector<Address>{{"Lyon", 69001}, {"Lille", 59000}}));
  stored = t.get("upd", 1, {.consistent_read = true});
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, e);

  // ALL_OLD: the previous item; UPDATED_OLD: the previous values raw.
  r = t.update(e, {set(&Everything::text, std::string("v5"))},
               {.return_values = aws::ReturnValues::all_old});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->old_item);
  EXPECT_EQ(r->old_item->text, sample("", 0).text);
  EXPECT_EQ(r->old_item->version, 4);
  EXPECT_EQ(e.version, 5);
  r = t.update(e, {set(&Everything::text, std::string("v6"))},
               {.return_values = aws::ReturnValues::updated_old});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->attributes);
  EXPECT_EQ(r->attributes->at("text"), AttributeValue("v5"));
  EXPECT_EQ(r->attributes->at("version"), AttributeValue::number(5));
  EXPECT_EQ(e.version, 6);

  // update_by_key increments the version on the server.
  auto by_key = t.update_by_key(t.key_of(e).value(), {add(&Everything::big, std::uint64_t{0})},
                                {.return_values = aws::ReturnValues::all_new});
  ASSERT_TRUE(by_key) << by_key.error().to_string();
  ASSERT_TRUE(by_key->new_item);
  EXPECT_EQ(by_key->new_item->version, 7);
  EXPECT_EQ(by_key->new_item->text, "v6");
}

TEST_F(OrmTableLocal, ConditionsFailWithConditionFailed) {
  auto t = make_table();
  Everything e = sample("cond", 1);
  ASSERT_TRUE(t.save(e));
  auto r = t.save(e, {.condition = field(&Everything::small) > 0});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::condition_failed) << r.error().to_string();
  EXPECT_EQ(e.version, 1);
  auto u = t.update(e, {set(&Everything::flag, false)},
                    {.condition = field(&Everything::text).begins_with("nope")});
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().code, ErrorCode::condition_failed);
  EXPECT_EQ(e.version, 1);
  EXPECT_TRUE(e.flag);
  auto d = t.remove(e, {.condition = field(&Everything::tags).contains(std::string("blue"))});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::condition_failed);
  // The matching conditions pass.
  ASSERT_TRUE(t.save(e, {.condition = field(&Everything::small) < 0}));
  ASSERT_TRUE(t.update(e, {set(&Everything::flag, false)},
                       {.condition = field(&Everything::text).begins_with("hello")}));
  EXPECT_FALSE(e.flag);
  ASSERT_TRUE(t.remove(e, {.condition = field(&Everything::tags).contains(std::string("red"))}));
}

TEST_F(OrmTableLocal, OptimisticLocking) {
  auto t = make_table();
  Everything first = sample("lock", 1);
  ASSERT_TRUE(t.save(first));
  EXPECT_EQ(first.version, 1);

  // A second new object with the same key: the first save of a new object
  // requires that no item exists.
  Everything intruder = sample("lock", 1);
  auto clash = t.save(intruder);
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::condition_failed);
  EXPECT_EQ(intruder.version, 0);

  // Two copies; the first writer wins, the second's save/update/remove fail.
  Everything a = t.get("lock", 1, {.consistent_read = true}).value();
  Everything b = a;
  a.text = "a wins";
  ASSERT_TRUE(t.save(a));
  EXPECT_EQ(a.version, 2);
  b.text = "b loses";
  auto s = t.save(b);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::condition_failed);
  auto u = t.update(b, {set(&Everything::text, std::string("b again"))});
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().code, ErrorCode::condition_failed);
  auto rm = t.remove(b);
  ASSERT_FALSE(rm);
  EXPECT_EQ(rm.error().code, ErrorCode::condition_failed);
  EXPECT_EQ(b.version, 1);
  EXPECT_EQ(t.get("lock", 1, {.consistent_read = true}).value().text, "a wins");

  // An update bumps the version: the other copy is stale again.
  ASSERT_TRUE(t.refresh(b, true));
  ASSERT_TRUE(t.update(b, {set(&Everything::text, std::string("b now"))}));
  EXPECT_EQ(b.version, 3);
  EXPECT_FALSE(t.save(a));
  // Without the check, a stale save goes through (and still increments).
  ASSERT_TRUE(t.save(a, {.check_version = false}));
  EXPECT_EQ(a.version, 3);
  ASSERT_TRUE(t.update(b, {set(&Everything::flag, false)}, {.check_version = false}));
  EXPECT_EQ(b.version, 4);  // ALL_NEW brought the server's version back
  EXPECT_FALSE(t.remove(a));
  ASSERT_TRUE(t.remove(a, {.check_version = false}));
}

TEST_F(OrmTableLocal, ReturnOldOnSaveAndRemove) {
  auto t = make_table();
  Everything e = sample("old", 1);
  auto first = t.save(e, {.return_old = true});
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_FALSE(first->old_item);
  Everything before = e;
  e.text = "second";
  auto second = t.save(e, {.return_old = true});
  ASSERT_TRUE(second) << second.error().to_string();
  ASSERT_TRUE(second->old_item);
  EXPECT_EQ(*second->old_item, before);
  auto removed = t.remove(e, {.return_old = true});
  ASSERT_TRUE(removed) << removed.error().to_string();
  ASSERT_TRUE(removed->old_item);
  EXPECT_EQ(*removed->old_item, e);
  // remove_by_key of an absent item succeeds with nothing returned.
  auto absent = t.remove_by_key(t.key_of(e).value(), {.return_old = true});
  ASSERT_TRUE(absent) << absent.error().to_string();
  EXPECT_FALSE(absent->old_item);
}

TEST_F(OrmTableLocal, ItemOver400KbIsRefusedAndNothingIsWritten) {
  auto t = make_table();
  Everything e = sample("big", 1);
  e.blob = Bytes(std::string(kMaxItemBytes, 'x'));
  auto r = t.save(e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find(t.name()), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("big"), std::string::npos) << r.error().message;
  EXPECT_EQ(e.version, 0);
  auto gone = t.get("big", 1, {.consistent_read = true});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
  // Just below the limit DynamoDB accepts it.
  e.blob = Bytes(std::string(300 * 1024, 'x'));
  ASSERT_TRUE(t.save(e));
  auto back = t.get("big", 1, {.consistent_read = true});
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->blob, e.blob);
}

TEST_F(OrmTableLocal, SaveKeepsAttributesTheModelDoesNotName) {
  // Same key schema as Everything (id S, seq N): a Slim view of its table.
  auto everything = make_table();
  Table<orm_it::Slim> slim(client_, {.table_name = everything.name()});
  aws::PutItemRequest raw;
  raw.table_name = slim.name();
  raw.item = {{"id", AttributeValue("k")},
              {"seq", AttributeValue::number(1)},
              {"name", AttributeValue("old")},
              {"note", AttributeValue("to be removed")},
              {"written_by_python", AttributeValue("keep me")}};
  ASSERT_TRUE(client_.put_item(raw));

  auto got = slim.get("k", 1, {.consistent_read = true});
  ASSERT_TRUE(got) << got.error().to_string();
  EXPECT_EQ(got->note, "to be removed");
  got->name = "new";
  got->note.reset();
  ASSERT_TRUE(slim.save(*got));

  auto stored =
      client_.get_item({.table_name = slim.name(),
                        .key = {{"id", AttributeValue("k")}, {"seq", AttributeValue::number(1)}},
                        .consistent_read = true});
  ASSERT_TRUE(stored && stored->item) << (stored ? "no item" : stored.error().to_string());
  EXPECT_EQ(*stored->item->at("name").as_string(), "new");
  EXPECT_FALSE(stored->item->contains("note"));  // the model's empty optional is removed
  ASSERT_TRUE(stored->item->contains("written_by_python"));
  EXPECT_EQ(*stored->item->at("written_by_python").as_string(), "keep me");

  // A new item is created the same way, conditions included.
  orm_it::Slim fresh{"k", 2, "first", std::nullopt};
  ASSERT_TRUE(slim.save(fresh, {.condition = not_exists(attr("id"))}));
  auto again = slim.save(fresh, {.condition = not_exists(attr("id"))});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::condition_failed);
  auto back = slim.get("k", 2, {.consistent_read = true});
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->name, "first");
}

}  // namespace
}  // namespace dynamate
