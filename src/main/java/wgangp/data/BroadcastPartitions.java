package wgangp.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * A cached RDD with element i in partition i, each element shipped in its own broadcast.
 *
 * <p>A parallelized collection is serialized into every task that touches the RDD, cached or
 * not, which would make each task as large as its data (and fail against a small
 * {@code spark.rpc.message.maxSize}); a broadcast is fetched once per executor and the tasks
 * carry only its handle. Close it when the work is done.
 *
 * @param rdd        the elements, one per partition, kept in executor memory
 * @param broadcasts the broadcasts they come from, in order
 */
public record BroadcastPartitions<T extends Serializable>(JavaRDD<T> rdd, List<Broadcast<T>> broadcasts)
        implements AutoCloseable {

    public static <T extends Serializable> BroadcastPartitions<T> of(JavaSparkContext sc, List<T> elements, String name) {
        ArrayList<Broadcast<T>> broadcasts = new ArrayList<>(elements.size());
        List<Integer> indices = new ArrayList<>(elements.size());
        for (T element : elements) {
            indices.add(indices.size());
            broadcasts.add(sc.broadcast(element));
        }
        JavaRDD<T> rdd = sc.parallelize(indices, Math.max(1, indices.size()))
                .map(i -> broadcasts.get(i).value())
                .setName(name)
                .persist(StorageLevel.MEMORY_ONLY());
        return new BroadcastPartitions<>(rdd, broadcasts);
    }

    @Override
    public void close() {
        rdd.unpersist(false);
        for (Broadcast<T> b : broadcasts) {
            b.destroy();
        }
    }
}
