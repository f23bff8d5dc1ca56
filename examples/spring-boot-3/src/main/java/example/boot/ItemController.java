package example.boot;

import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Items in the database, each name also kept in Redis under {@code item:<id>}. */
@RestController
public class ItemController {
  private final ItemRepository items;
  private final StringRedisTemplate redis;

  public ItemController(ItemRepository items, StringRedisTemplate redis) {
    this.items = items;
    this.redis = redis;
  }

  @GetMapping("/items/{id}")
  public ResponseEntity<String> get(@PathVariable Long id) {
    Optional<Item> item = items.findById(id);
    String cached = redis.opsForValue().get(key(id));
    return item.map(i -> ResponseEntity.ok(i.getName() + " (cached: " + cached + ")"))
        .orElse(ResponseEntity.notFound().build());
  }

  @PostMapping("/items")
  public ResponseEntity<String> create(@RequestBody String name) {
    Item item = items.save(new Item(name));
    redis.opsForValue().set(key(item.getId()), name);
    return ResponseEntity.status(HttpStatus.CREATED).body(String.valueOf(item.getId()));
  }

  @PatchMapping("/items/{id}")
  public ResponseEntity<String> rename(@PathVariable Long id, @RequestBody String name) {
    Optional<Item> found = items.findById(id);
    if (found.isEmpty()) {
      return ResponseEntity.notFound().build();
    }
    Item item = found.get();
    item.setName(name);
    items.save(item);
    redis.opsForValue().set(key(id), name);
    return ResponseEntity.ok(name);
  }

  private static String key(Long id) {
    return "item:" + id;
  }
}
