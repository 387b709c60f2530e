// The AWS SDK warns on every process that Node 20 will not get its releases after January 2027. It says nothing
// a learner can act on, in the middle of their verdicts; the README states the supported Node versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
