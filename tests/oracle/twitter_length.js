// X's own count of a post, for tests/test_lengths_oracle.py: the official twitter-text library
// (npm "twitter-text", which finds emoji with "twemoji-parser"), as pinned in package-lock.json.
//
// Reads one JSON string per line on stdin and writes, per line, twitter-text's weightedLength
// (parseTweet with its default config, the one X counts with). Reading the whole batch in one
// process keeps thousands of texts to well under a second.
"use strict";

const { parseTweet } = require("twitter-text");

const chunks = [];
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const lines = chunks.join("").split("\n").filter((line) => line !== "");
  const lengths = lines.map((line) => parseTweet(JSON.parse(line)).weightedLength);
  process.stdout.write(lengths.map((length) => `${length}\n`).join(""));
});
