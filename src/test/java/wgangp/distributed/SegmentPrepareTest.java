package wgangp.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** What cannot run a barrier stage of all the workers is refused before Spark starts, in one line. */
class SegmentPrepareTest {

    @Test
    void aLocalMasterWithFewerThreadsThanWorkersIsRefused() {
        for (String master : new String[] {"local", "local[1]", "local[3]", "local[2,4]"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Segment.prepare(new SparkConf(false).set("spark.master", master), master.equals("local[3]") ? 4 : 3));
            assertTrue(e.getMessage().contains("parallelism=averaging") && e.getMessage().contains(master),
                    e.getMessage());
        }
        Segment.prepare(new SparkConf(false).set("spark.master", "local[2]"), 2);
        Segment.prepare(new SparkConf(false).set("spark.master", "local-cluster[2,1,1024]"), 2);
    }

    @Test
    void dynamicAllocationIsRefused() {
        SparkConf conf = new SparkConf(false).set("spark.master", "yarn").set("spark.dynamicAllocation.enabled", "true");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Segment.prepare(conf, 2));
        assertTrue(e.getMessage().contains("spark.dynamicAllocation.enabled=false"), e.getMessage());
    }

    @Test
    void sparkWaitsAMinuteAtMostForTheSlotsUnlessTold() {
        SparkConf conf = new SparkConf(false).set("spark.master", "yarn");
        Segment.prepare(conf, 8);
        assertEquals("1s", conf.get("spark.scheduler.barrier.maxConcurrentTasksCheck.interval"));
        assertEquals("60", conf.get("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures"));
        SparkConf told = new SparkConf(false).set("spark.master", "yarn")
                .set("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "5");
        Segment.prepare(told, 8);
        assertEquals("5", told.get("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures"));
    }
}
