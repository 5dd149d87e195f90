package kg.evpower.security.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import kg.evpower.security.domain.EncryptionKey;
import kg.evpower.security.domain.KeyStatus;

@ApplicationScoped
public class EncryptionKeyRepository implements PanacheRepositoryBase<EncryptionKey, Long> {

    public Uni<EncryptionKey> findActive(String cpId) {
        return find("cpId = ?1 and status = ?2", cpId, KeyStatus.ACTIVE).firstResult();
    }

    public Uni<EncryptionKey> findVersion(String cpId, int version) {
        return find("cpId = ?1 and keyVersion = ?2", cpId, version).firstResult();
    }

    /** Versions that can still open something (ACTIVE or DECRYPT_ONLY), newest first. */
    public Uni<List<EncryptionKey>> findUsable(String cpId) {
        return find("cpId = ?1 and status <> ?2", Sort.descending("keyVersion"), cpId, KeyStatus.REVOKED).list();
    }

    public Uni<Integer> latestVersion(String cpId) {
        return find("select coalesce(max(keyVersion), 0) from EncryptionKey where cpId = ?1", cpId)
                .project(Integer.class).firstResult();
    }

    @WithSession
    public Uni<List<EncryptionKey>> listAll(String cpId) {
        return find("cpId", Sort.descending("keyVersion"), cpId).list();
    }

    @WithSession
    public Uni<List<String>> cpIdsWithActiveKey() {
        return find("select distinct cpId from EncryptionKey where status = ?1", KeyStatus.ACTIVE)
                .project(String.class).list();
    }
}
