package io.callhook.enricher.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.model.AccountSubscription;
import io.callhook.model.BodyFormat;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountSubscriptionsCacheTest {

    private final AccountSubscriptionsCache cache = new AccountSubscriptionsCache();
    private final List<Long> reads = new ArrayList<>();

    private static AccountSubscription subscription(String id, String url) {
        return AccountSubscription.newBuilder().setId(id).setAccountId(7).setProduct(Product.CALLKEEPER).setUrl(url)
                .setMethod(HttpMethod.POST).setFormat(BodyFormat.JSON).build();
    }

    private List<AccountSubscription> store(long account, AccountSubscription... subscriptions) {
        reads.add(account);
        return List.of(subscriptions);
    }

    @Test
    void anAccountIsReadOnceUntilItChanges() {
        AccountSubscription first = subscription("s1", "https://a.example.com/");
        cache.of(7, account -> store(account, first));
        List<AccountSubscriptionsCache.Target> cached = cache.of(7, account -> store(account, first));
        assertThat(reads).containsExactly(7L);
        assertThat(cached).extracting(target -> target.subscription().getUrl()).containsExactly("https://a.example.com/");

        cache.invalidate(7);
        AccountSubscription changed = subscription("s1", "https://b.example.com/");
        assertThat(cache.of(7, account -> store(account, changed)))
                .extracting(target -> target.subscription().getUrl()).containsExactly("https://b.example.com/");
        assertThat(reads).containsExactly(7L, 7L);
    }

    @Test
    void aReadThatOverlapsAChangeIsUsedOnceButNotKept() {
        AccountSubscription before = subscription("s1", "https://before.example.com/");
        AccountSubscription after = subscription("s1", "https://after.example.com/");

        // The change lands (and drops the account) while this read is under way: what it read may be old.
        List<AccountSubscriptionsCache.Target> racing = cache.of(7, account -> {
            List<AccountSubscription> read = store(account, before);
            cache.invalidate(7);
            return read;
        });
        assertThat(racing).extracting(target -> target.subscription().getUrl()).containsExactly("https://before.example.com/");

        assertThat(cache.of(7, account -> store(account, after)))
                .as("the next call reads the store again").extracting(target -> target.subscription().getUrl())
                .containsExactly("https://after.example.com/");
        assertThat(reads).hasSize(2);
    }

    @Test
    void bodyOptionsAreParsedOnceWithTheSubscriptionAndInvalidOnesLeftOut() {
        AccountSubscription renamed = AccountSubscription.newBuilder(subscription("s1", "https://a.example.com/"))
                .setProduct(Product.CALLTRACKING).setRenames(Map.of("phone2", "client_phone")).build();
        AccountSubscription broken = AccountSubscription.newBuilder(subscription("s2", "https://a.example.com/"))
                .setParams(Map.of("id", "clashes with a documented key")).build();

        List<AccountSubscriptionsCache.Target> targets = cache.of(7, account -> store(account, renamed, broken));

        assertThat(targets).extracting(target -> target.subscription().getId()).containsExactly("s1");
        assertThat(targets.get(0).options().renames().asMap()).containsEntry("phone2", "client_phone");
    }

    @Test
    void otherAccountsStayCached() {
        cache.of(7, account -> store(account, subscription("s1", "https://a.example.com/")));
        cache.of(8, account -> store(account, subscription("s2", "https://a.example.com/")));
        cache.invalidate(7);
        cache.of(8, account -> store(account));
        assertThat(reads).containsExactly(7L, 8L);
    }
}
