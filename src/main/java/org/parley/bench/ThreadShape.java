package org.parley.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The reply tree of one generated thread, in creation order (index 0 is the oldest comment). A quarter of the
 * comments are top-level; each reply belongs to a top-level comment picked uniformly, so every page of 50
 * top-level comments holds about 200 comments whatever the thread's size, and a 50 000-comment thread's first
 * page is the same size as a 200-comment thread's only page. Within a conversation a reply answers the
 * top-level comment or an earlier reply (depth at most {@link #MAX_DEPTH}), and comes after what it answers.
 * A small share is deleted (with replies it stays as a tombstone, as in Parley).
 */
final class ThreadShape {
    static final double TOP_LEVEL_SHARE = 0.25;
    static final int MAX_DEPTH = 8;
    static final double DELETED_SHARE = 0.01;
    /** How long after its top-level comment a conversation goes on, as a share of the thread's lifetime. */
    private static final double CONVERSATION_SPAN = 0.05;

    /** For each comment (creation order): its parent's index or -1, its root's index, its depth, deleted or not. */
    final int[] parent;
    final int[] root;
    final int[] depth;
    final boolean[] deleted;
    /** Direct replies that are not deleted: the comment's reply_count. */
    final int[] replyCount;
    final int size;

    private ThreadShape(int[] parent, int[] root, int[] depth, boolean[] deleted) {
        this.parent = parent;
        this.root = root;
        this.depth = depth;
        this.deleted = deleted;
        this.size = parent.length;
        this.replyCount = new int[size];
        for (int i = 0; i < size; i++) {
            if (parent[i] >= 0 && !deleted[i]) {
                replyCount[parent[i]]++;
            }
        }
    }

    /** Approved comments: the thread's comment_count (deleted ones are not counted). */
    int approved() {
        int n = 0;
        for (boolean d : deleted) {
            n += d ? 0 : 1;
        }
        return n;
    }

    static ThreadShape of(int comments, Random random) {
        if (comments < 1) {
            throw new IllegalArgumentException("a generated thread has at least one comment, got " + comments);
        }
        int tops = Math.max(1, (int) Math.round(comments * TOP_LEVEL_SHARE));
        // each top-level comment at an even point of the thread's lifetime, its replies shortly after it
        List<Node> nodes = new ArrayList<>(comments);
        List<List<Node>> conversations = new ArrayList<>(tops);
        for (int t = 0; t < tops; t++) {
            Node top = new Node(null, t, 0, (t + random.nextDouble() * 0.5) / tops);
            nodes.add(top);
            List<Node> conversation = new ArrayList<>();
            conversation.add(top);
            conversations.add(conversation);
        }
        int[] repliesPer = new int[tops];
        for (int r = tops; r < comments; r++) {
            repliesPer[random.nextInt(tops)]++;
        }
        for (int t = 0; t < tops; t++) {
            List<Node> conversation = conversations.get(t);
            double start = conversation.getFirst().time;
            double[] replyTimes = new double[repliesPer[t]];
            for (int k = 0; k < replyTimes.length; k++) {
                replyTimes[k] = start + random.nextDouble() * CONVERSATION_SPAN;
            }
            Arrays.sort(replyTimes);
            for (double time : replyTimes) {
                // half answer the top-level comment, the rest an earlier reply of the same conversation
                Node answered = random.nextBoolean() ? conversation.getFirst()
                        : conversation.get(random.nextInt(conversation.size()));
                if (answered.depth >= MAX_DEPTH) {
                    answered = conversation.getFirst();
                }
                Node reply = new Node(answered, t, answered.depth + 1, time);
                conversation.add(reply);
                nodes.add(reply);
            }
        }
        nodes.sort(Comparator.comparingDouble(n -> n.time));
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).index = i;
        }
        int[] parent = new int[comments];
        int[] root = new int[comments];
        int[] depth = new int[comments];
        boolean[] deleted = new boolean[comments];
        for (Node n : nodes) {
            parent[n.index] = n.parent == null ? -1 : n.parent.index;
            root[n.index] = conversations.get(n.conversation).getFirst().index;
            depth[n.index] = n.depth;
            deleted[n.index] = comments > 1 && random.nextDouble() < DELETED_SHARE;
        }
        return new ThreadShape(parent, root, depth, deleted);
    }

    private static final class Node {
        final Node parent;
        final int conversation;
        final int depth;
        final double time;
        int index;

        Node(Node parent, int conversation, int depth, double time) {
            this.parent = parent;
            this.conversation = conversation;
            this.depth = depth;
            this.time = time;
        }
    }
}
